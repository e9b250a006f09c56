import type { ClusterSnapshot } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { applyLeaderChange, applyUpdate } from './snapshot.js';

const base: ClusterSnapshot = {
  cluster: 'c',
  at: 1,
  redis: 'ok',
  asOf: 1,
  nodes: [],
  leader: { nodeId: 'n1', epoch: 3, since: 0 },
  leaderHistory: [],
  presence: { usersOnline: 1, connections: 1, perNode: [] },
  latency: [],
  eventRates: { total: 0, perKind: {} },
  probe: null,
};

describe('applyUpdate', () => {
  it('takes a snapshot whole', () => {
    const snapshot = { ...base, at: 9 };
    expect(applyUpdate(base, { type: 'snapshot', snapshot })).toBe(snapshot);
    expect(applyUpdate(undefined, { type: 'snapshot', snapshot })).toBe(snapshot);
  });

  it('replaces only the fields a delta carries', () => {
    const next = applyUpdate(base, { type: 'delta', at: 5, changes: { redis: 'unreachable' }, events: [], eventsDropped: 0 });
    expect(next).toEqual({ ...base, at: 5, redis: 'unreachable' });
  });

  it('cannot apply a delta without a snapshot', () => {
    expect(applyUpdate(undefined, { type: 'delta', at: 5, changes: {}, events: [], eventsDropped: 0 })).toBeUndefined();
  });
});

describe('applyLeaderChange', () => {
  it('moves the leader at once, and clears it when the lease is lost', () => {
    const moved = applyLeaderChange(base, { at: 50, previous: { nodeId: 'n1', epoch: 3 }, current: { nodeId: 'n2', epoch: 4 } });
    expect(moved?.leader).toEqual({ nodeId: 'n2', epoch: 4, since: 50 });
    expect(applyLeaderChange(base, { at: 60, previous: { nodeId: 'n1', epoch: 3 }, current: null })?.leader).toBeNull();
  });

  it('keeps since for the same holder', () => {
    expect(applyLeaderChange(base, { at: 70, previous: null, current: { nodeId: 'n1', epoch: 3 } })?.leader).toEqual(base.leader);
  });
});
