import { describe, expect, it } from 'vitest';
import { latencyLevel, latencyMatrix, nodeP99, recentPairs, worstP99, type LatencyPair } from './latency.js';

const pair = (origin: string, receiver: string, p99: number): LatencyPair => ({ origin, receiver, ts: 1_000, count: 10, p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2 });
const pairs = [pair('n1', 'n2', 4), pair('n2', 'n1', 2), pair('n3', 'n2', 80)];

describe('latency', () => {
  it('keeps each cross-node pair\'s latest window for a while from the live series', () => {
    const sample = (t: number, p99: number) => ({ t, p50: 1, p90: 2, p99, max: p99, count: 3 });
    const series = { 'n1→n2': [sample(1_000, 5), sample(2_000, 7)], 'n2→n1': [sample(1_000, 4)], 'n3→n3': [sample(2_000, 1)] };
    expect(recentPairs(series, 20_000).map((p) => [p.origin, p.receiver, p.p99])).toEqual([
      ['n1', 'n2', 7],
      ['n2', 'n1', 4],
    ]);
    expect(recentPairs(series, 31_500).map((p) => p.p99)).toEqual([7]);
  });

  it('finds the worst p99 overall and per node in both directions', () => {
    expect(worstP99(pairs)).toBe(80);
    expect(worstP99([])).toBeNull();
    expect(nodeP99(pairs, 'n2')).toEqual({ in: 80, out: 2 });
    expect(nodeP99(pairs, 'n3')).toEqual({ in: null, out: 80 });
  });

  it('builds a matrix over every node, with empty cells where no pair was seen', () => {
    const matrix = latencyMatrix(pairs, ['n1', 'n2', 'n4']);
    expect(matrix.nodes).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(matrix.cell('n3', 'n2')?.p99).toBe(80);
    expect(matrix.cell('n2', 'n3')).toBeNull();
  });

  it('grades p99 against the thresholds', () => {
    expect(latencyLevel(10)).toBe('ok');
    expect(latencyLevel(80)).toBe('warn');
    expect(latencyLevel(300)).toBe('alert');
  });
});
