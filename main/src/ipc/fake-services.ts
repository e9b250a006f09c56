import { SwitchboardError, type ClusterProfile, type ClusterSnapshot, type EventName, type EventPayload, type MethodOutput } from '@switchboard/shared';
import { createFakeDrillServices } from './fake-drill-services.js';
import type { ConsoleServices } from './services.js';

/**
 * In-memory console services with fixed, contract-valid answers: for the router and transport
 * unit tests, which test routing and framing, not the services behind them.
 */

/** The fakes, the calls they received and a way to fire their events. */
export interface FakeServices {
  services: ConsoleServices;
  /** `domain.verb(args-json)` per call, in order. */
  calls: string[];
  /** Fires an event to the current listeners (any payload, to test the router's validation). */
  emit<E extends EventName>(event: E, payload: EventPayload<E> | unknown): void;
  /** Listeners currently attached, per event. */
  listenerCount(event: EventName): number;
}

const NOW = 1_700_000_000_000;

/** A valid snapshot of a one-node cluster. */
export function fakeSnapshot(at = NOW): ClusterSnapshot {
  const node = {
    id: 'n1', host: 'web1', httpAddress: 'http://127.0.0.1:8065', pid: 4242, version: '0.1.0', schemaVersion: '1700000000000_initial-schema',
    state: 'active' as const, startedAt: at - 60_000, lastBeat: at, connections: 2, usersOnline: 1, configHash: '0123456789abcdef', heartbeatAgeMs: 0,
  };
  return {
    cluster: 'demo', at, redis: 'ok', asOf: at, nodes: [node], leader: { nodeId: 'n1', epoch: 3, since: at - 30_000 },
    leaderHistory: [{ id: `${at - 30_000}-0`, event: 'acquired', nodeId: 'n1', epoch: 3, ts: at - 30_000 }],
    presence: { usersOnline: 1, connections: 2, perNode: [{ nodeId: 'n1', users: 1, connections: 2 }] },
    latency: [], eventRates: { total: 0, perKind: {} }, probe: null,
  };
}

const hostNode = { host: 'web1', id: 'n1', pid: 4242, running: true, listen: '127.0.0.1:8065', state: 'active' as const };

/** The built-in profile the fakes report. */
export const FAKE_PROFILE: ClusterProfile = {
  name: 'local', cluster: 'demo', redis: { url: 'redis://127.0.0.1:6379' }, postgres: { url: 'postgres://postgres@127.0.0.1:5432/switchboard' },
  hosts: [{ name: 'web1', local: true, nodectl: { command: 'nodectl' }, nodes: ['n1'] }],
};

/**
 * Fake console services answering every method with fixed, valid data. `hosts.action` on node
 * `missing` throws `nodectl.unknown_node`; on node `boom` it throws a plain Error (a bug).
 * @example const fake = createFakeServices(); const router = new Router({ services: fake.services, log });
 */
export function createFakeServices(): FakeServices {
  const calls: string[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const on = (event: EventName) => (listener: (payload: never) => void) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  };
  const record = <T>(name: string, args: unknown, value: T): T => {
    calls.push(`${name}(${args === undefined ? '' : JSON.stringify(args)})`);
    return value;
  };
  const profileSummary = { name: 'local', source: 'builtin' as const, path: null, cluster: 'demo' };
  const services: ConsoleServices = {
    cluster: {
      snapshot: () => record('cluster.snapshot', undefined, fakeSnapshot()),
      presenceUsers: (q) => record('cluster.presenceUsers', q, { total: 1, page: q.page, perPage: q.perPage, users: [{ id: 'u1', username: 'alice', connections: 2, nodes: ['n1'] }] }),
      recentEvents: (q) => record('cluster.recentEvents', q, { events: [], scanned: 0, malformed: 0 }),
      probe: async (input) => record('cluster.probe', input, {
        id: 'p1', message: 'probe p1', at: NOW, via: 'http://127.0.0.1:8065', postMs: 3, ok: true, error: null,
        nodes: [{ nodeId: 'n1', url: 'ws://127.0.0.1:8065/api/v4/websocket', latencyMs: 4, error: null }],
      }),
      onDidChange: on('cluster.onDidChange'),
      onDidChangeLeader: on('cluster.onDidChangeLeader'),
    },
    postgres: {
      health: async () => record('postgres.health', undefined, { reachable: false as const, at: NOW, error: { id: 'postgres.unreachable', message: 'The Postgres server is not reachable.', detail: 'ECONNREFUSED' } }),
      consistencyCheck: async () => record('postgres.consistencyCheck', undefined, { expected: 1, found: 1, missing: [], duplicated: [], channelId: 'c1' }),
    },
    hosts: {
      listNodes: () => record('hosts.listNodes', undefined, { nodes: [hostNode], failures: [] }),
      action: async (host, nodeId, action) => {
        record(`hosts.${action}`, { host, nodeId }, null);
        if (nodeId === 'missing') throw new SwitchboardError('nodectl.unknown_node', { detail: `no node "${nodeId}" on ${host}` });
        if (nodeId === 'boom') throw new Error('a bug with a secret inside: hunter2');
        return { ...hostNode, host, id: nodeId };
      },
      logs: async (host, nodeId, lines) => record('hosts.logs', { host, nodeId, lines }, { host, nodeId, lines: ['line 1', 'line 2'].slice(-lines) }),
      acceptHostKey: async (host, fingerprint) => record('hosts.acceptHostKey', { host, fingerprint }, { host, fingerprint, keyType: 'ssh-ed25519' }),
      onDidAct: on('hosts.onDidAct'),
    },
    audit: {
      read: (q) => record('audit.read', q, { entries: [{ ts: NOW, profile: 'local', host: 'web1', node: 'n1', action: 'drain', result: 'ok' as const, detail: 'pid 4242, stopped', durationMs: 12 }], skipped: 0 }),
    },
    profiles: {
      list: () => record('profiles.list', undefined, { profiles: [profileSummary], selected: 'local' }),
      get: (name) => {
        record('profiles.get', { name }, null);
        if (name !== 'local') throw new SwitchboardError('profile.not_found', { detail: `profile=${name}` });
        return { ...profileSummary, profile: FAKE_PROFILE } satisfies MethodOutput<'profiles.get'>;
      },
      save: (profile) => record('profiles.save', { name: profile.name }, { name: profile.name, source: 'folder' as const, path: `/tmp/${profile.name}.yaml`, cluster: profile.cluster }),
      select: (name) => record('profiles.select', { name }, { ...profileSummary, name }),
    },
    drills: createFakeDrillServices({ record, on: on('drills.onDidProgress') }),
  };
  return {
    services,
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((listener) => (listener as (p: unknown) => void)(payload)),
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
}
