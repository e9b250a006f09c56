import type { LatencySummary } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { latencyLevel, latencyMatrix, latencyPairs, nodeP99, pairKey, worstP99 } from './latency.js';

const figures = (p99: number) => ({ count: 10, p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2, clockSkew: 0 });
const summaries: LatencySummary[] = [
  { nodeId: 'n2', ts: 1_000, windowMs: 1_000, origins: { n1: figures(4), n3: figures(80) } },
  { nodeId: 'n1', ts: 1_000, windowMs: 1_000, origins: { n2: figures(2) } },
];

describe('latency', () => {
  it('flattens summaries into sorted origin→receiver pairs', () => {
    expect(latencyPairs(summaries).map((pair) => pairKey(pair.origin, pair.receiver))).toEqual(['n1→n2', 'n2→n1', 'n3→n2']);
  });

  it('finds the worst p99 overall and per node in both directions', () => {
    const pairs = latencyPairs(summaries);
    expect(worstP99(pairs)).toBe(80);
    expect(worstP99([])).toBeNull();
    expect(nodeP99(pairs, 'n2')).toEqual({ in: 80, out: 2 });
    expect(nodeP99(pairs, 'n3')).toEqual({ in: null, out: 80 });
  });

  it('builds a matrix over every node, with empty cells where no pair was seen', () => {
    const matrix = latencyMatrix(latencyPairs(summaries), ['n1', 'n2', 'n4']);
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
