import type { ClusterSnapshot, ProbeResult } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { EMPTY_SERIES, recordLatency, recordProbe, sampleSnapshot, SERIES_CAPACITY } from './series.js';

const snapshot = (overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot => ({
  cluster: 'c',
  at: 1,
  redis: 'ok',
  asOf: 1,
  nodes: [],
  leader: null,
  leaderHistory: [],
  presence: { usersOnline: 3, connections: 5, perNode: [] },
  latency: [],
  eventRates: { total: 7, perKind: { posted: 2 } },
  probe: null,
  ...overrides,
});

describe('live series', () => {
  it('samples presence and rates, with gaps while Redis is unreachable', () => {
    let series = sampleSnapshot(EMPTY_SERIES, snapshot(), 1_000);
    series = sampleSnapshot(series, snapshot({ redis: 'unreachable' }), 2_000);
    expect(series.presence).toEqual([
      { t: 1_000, users: 3, connections: 5 },
      { t: 2_000, users: null, connections: null },
    ]);
    expect(series.rates[0]).toEqual({ t: 1_000, total: 7, posted: 2 });
    expect(series.rates[1]).toEqual({ t: 2_000, total: null, posted: null });
  });

  it('stays bounded however long it runs', () => {
    let series = EMPTY_SERIES;
    for (let i = 0; i < SERIES_CAPACITY * 3; i += 1) series = sampleSnapshot(series, snapshot(), i);
    expect(series.presence).toHaveLength(SERIES_CAPACITY);
  });

  it('records each receiver window once per pair', () => {
    const figures = { count: 4, p50: 1, p90: 2, p99: 3, max: 4, clockSkew: 0 };
    const summary = { nodeId: 'n2', ts: 5_000, windowMs: 1_000, origins: { n1: figures, n3: figures, n2: figures } };
    let series = recordLatency(EMPTY_SERIES, [summary]);
    series = recordLatency(series, [summary]);
    series = recordLatency(series, [{ ...summary, ts: 6_000, origins: { n1: { ...figures, p99: 9 } } }]);
    expect(series.latency['n1→n2']).toEqual([
      { t: 5_000, p50: 1, p90: 2, p99: 3, max: 4, count: 4 },
      { t: 6_000, p50: 1, p90: 2, p99: 9, max: 4, count: 4 },
    ]);
    expect(series.latency['n3→n2']).toHaveLength(1);
    expect(series.latency['n2→n2']).toBeUndefined();
  });

  it('records each probe once', () => {
    const probe: ProbeResult = { id: 'p1', message: 'm', at: 9, via: 'http://lb', postMs: 3, ok: true, error: null, nodes: [{ nodeId: 'n1', url: 'ws://', latencyMs: 4, error: null }] };
    const series = recordProbe(recordProbe(EMPTY_SERIES, probe), probe);
    expect(series.probes).toEqual([{ t: 9, ok: true, postMs: 3, nodes: { n1: 4 } }]);
    expect(recordProbe(series, null)).toBe(series);
  });
});
