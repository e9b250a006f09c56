import type { ClusterSnapshot, PostgresHealth } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import type { NodeRow } from '../features/nodes/node-rows.js';
import { deriveAlerts, type AlertSources } from './alerts.js';

const snapshot: ClusterSnapshot = {
  cluster: 'c',
  at: 10_000,
  redis: 'ok',
  asOf: 10_000,
  nodes: [],
  leader: { nodeId: 'n1', epoch: 1, since: 0 },
  leaderHistory: [],
  presence: { usersOnline: 0, connections: 0, perNode: [] },
  latency: [],
  eventRates: { total: 0, perKind: {} },
  probe: null,
};
const row = (id: string, overrides: Partial<NodeRow> = {}): NodeRow => ({ id, host: 'h', machine: 'm', state: 'active', isLeader: false, entry: null, hostNode: null, heartbeatAgeMs: 100, configMismatch: false, schemaMismatch: false, p99In: null, p99Out: null, eventsPerSecond: 0, ...overrides });
const sources = (overrides: Partial<AlertSources> = {}): AlertSources => ({ snapshot, postgres: undefined, rows: [row('n1')], pairs: [], now: 12_000, ...overrides });

describe('deriveAlerts', () => {
  it('is quiet when all is well', () => {
    expect(deriveAlerts(sources())).toEqual([]);
  });

  it('raises Redis and Postgres unreachable as critical, first', () => {
    const postgres: PostgresHealth = { reachable: false, at: 1, error: { id: 'postgres.unreachable', message: 'connect ECONNREFUSED', detail: '' } };
    const alerts = deriveAlerts(sources({ snapshot: { ...snapshot, redis: 'unreachable', asOf: 4_000 }, postgres, rows: [row('n1', { state: 'gone' })] }));
    expect(alerts.map((alert) => [alert.id, alert.level])).toEqual([
      ['redis', 'critical'],
      ['postgres', 'critical'],
      ['node-gone-n1', 'warning'],
    ]);
    expect(alerts[0]!.detail).toContain('last read 8 s ago');
  });

  it('says when no node leads', () => {
    const alerts = deriveAlerts(sources({ snapshot: { ...snapshot, leader: null, nodes: [{ id: 'n1' } as ClusterSnapshot['nodes'][number]] } }));
    expect(alerts.map((alert) => alert.id)).toEqual(['leader']);
  });

  it('flags slow pairs, late nodes and configuration drift', () => {
    const alerts = deriveAlerts(
      sources({
        rows: [row('n1', { state: 'stale', heartbeatAgeMs: 4_000 }), row('n2', { configMismatch: true })],
        pairs: [{ origin: 'n1', receiver: 'n2', ts: 1, count: 5, p50: 100, p90: 200, p99: 400, max: 500 }],
      }),
    );
    expect(alerts.map((alert) => alert.id)).toEqual(['node-stale-n1', 'config', 'latency']);
    expect(alerts.at(-1)!.detail).toContain('n1→n2 at 400 ms');
  });
});
