import type { HostNode, ObservedNode } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../stores/actions-store.js';
import { buildNodeRows, type NodeRowSources } from './node-rows.js';

function entry(id: string, overrides: Partial<ObservedNode> = {}): ObservedNode {
  return { id, host: 'box', httpAddress: 'http://127.0.0.1:1', pid: 10, version: '0.1.0', schemaVersion: '001', state: 'active', startedAt: 0, lastBeat: 1_000, connections: 2, usersOnline: 1, configHash: 'aaaaaaaaaaaaaaaa', heartbeatAgeMs: 200, ...overrides };
}
function hostNode(id: string, overrides: Partial<HostNode> = {}): HostNode {
  return { host: 'localhost', id, pid: 10, running: true, listen: '127.0.0.1:1', state: 'active', ...overrides };
}
function action(nodeId: string, kind: ActionRecord['action']): ActionRecord {
  return { host: 'localhost', nodeId, action: kind, phase: 'succeeded', startedAt: 1, finishedAt: 2, node: null, error: null };
}
function sources(overrides: Partial<NodeRowSources> = {}): NodeRowSources {
  return { registry: [], registryAgeMs: 0, hostNodes: [], seen: {}, actions: {}, leader: null, pairs: [], eventRates: {}, now: 5_000, ...overrides };
}

describe('buildNodeRows', () => {
  it('joins the registry and nodectl and marks the leader', () => {
    const rows = buildNodeRows(sources({ registry: [entry('n2'), entry('n1')], hostNodes: [hostNode('n1'), hostNode('n2')], leader: { nodeId: 'n2', epoch: 4, since: 0 } }));
    expect(rows.map((row) => [row.id, row.state, row.host, row.isLeader])).toEqual([
      ['n1', 'active', 'localhost', false],
      ['n2', 'active', 'localhost', true],
    ]);
  });

  it('marks a killed node gone at once, even while its registry entry lingers', () => {
    const rows = buildNodeRows(sources({ registry: [entry('n1')], hostNodes: [hostNode('n1', { running: false, state: 'stopped', pid: null })], actions: { 'localhost/n1': action('n1', 'kill') }, leader: { nodeId: 'n1', epoch: 2, since: 0 } }));
    expect(rows[0]).toMatchObject({ state: 'gone', isLeader: false, p99In: null, eventsPerSecond: null });
  });

  it('marks a drained node drained, a never-seen stopped node stopped, a vanished one gone', () => {
    const rows = buildNodeRows(
      sources({
        hostNodes: [hostNode('n1', { running: false, state: 'stopped' }), hostNode('n2', { running: false, state: 'stopped' })],
        actions: { 'localhost/n1': action('n1', 'drain') },
        seen: { n3: { entry: entry('n3', { lastBeat: 1_000 }), lastSeen: 1_000 } },
      }),
    );
    expect(rows.map((row) => [row.id, row.state, row.heartbeatAgeMs])).toEqual([
      ['n1', 'drained', null],
      ['n2', 'stopped', null],
      ['n3', 'gone', 4_000],
    ]);
  });

  it('calls a node with an old heartbeat stale, counting the time Redis has been away', () => {
    const rows = buildNodeRows(sources({ registry: [entry('n1', { heartbeatAgeMs: 500 })], registryAgeMs: 4_000 }));
    expect(rows[0]).toMatchObject({ state: 'stale', heartbeatAgeMs: 4_500 });
  });

  it('flags the node whose config hash or schema differs from the others', () => {
    const rows = buildNodeRows(sources({ registry: [entry('n1'), entry('n2'), entry('n3', { configHash: 'bbbbbbbbbbbbbbbb', schemaVersion: '002' })] }));
    expect(rows.map((row) => [row.configMismatch, row.schemaMismatch])).toEqual([
      [false, false],
      [false, false],
      [true, true],
    ]);
  });

  it('shows a started process that has not registered yet as starting', () => {
    expect(buildNodeRows(sources({ hostNodes: [hostNode('n1')] }))[0]?.state).toBe('starting');
  });
});
