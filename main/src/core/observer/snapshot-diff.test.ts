import type { ClusterSnapshot } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { diffSnapshot } from './snapshot-diff.js';

const base: ClusterSnapshot = {
  cluster: 'prod',
  at: 1_000,
  redis: 'ok',
  asOf: 1_000,
  nodes: [],
  leader: { nodeId: 'n1', epoch: 3, since: 900 },
  leaderHistory: [],
  presence: { usersOnline: 0, connections: 0, perNode: [] },
  latency: [],
  eventRates: { total: 0, perKind: {} },
  probe: null,
};

describe('diffSnapshot', () => {
  it('gives every field but `at` without a previous snapshot', () => {
    const changes = diffSnapshot(undefined, base);
    expect(Object.keys(changes).sort()).toEqual(Object.keys(base).filter((key) => key !== 'at').sort());
  });

  it('gives only the fields that changed, compared deeply', () => {
    const next: ClusterSnapshot = { ...base, at: 2_000, leader: { nodeId: 'n2', epoch: 4, since: 1_900 }, presence: { ...base.presence } };
    expect(diffSnapshot(base, next)).toEqual({ leader: { nodeId: 'n2', epoch: 4, since: 1_900 } });
  });

  it('gives nothing when only the time moved', () => {
    expect(diffSnapshot(base, { ...base, at: 5_000 })).toEqual({});
  });
});
