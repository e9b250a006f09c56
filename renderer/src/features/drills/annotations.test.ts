import type { TimelineEntry } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { chartAnnotations } from './annotations.js';

const mark = (at: number, kind: TimelineEntry['kind'], node?: string): TimelineEntry => ({ at, kind, step: 0, detail: kind, ...(node ? { node } : {}) });

describe('chartAnnotations', () => {
  it('draws step lines, node and leader lines, and the time without a leader', () => {
    const { lines, areas } = chartAnnotations([mark(1_500, 'new-leader', 'n2'), mark(1_000, 'leader-lost', 'n1'), mark(1_200, 'node-gone', 'n1')], [{ index: 0, startedAt: 900 }, { index: 1, startedAt: null }], 5_000);
    expect(lines).toEqual([
      { at: 900, label: 'S1', tone: 'step' },
      { at: 1_200, label: 'n1 gone', tone: 'bad' },
      { at: 1_500, label: 'leader n2', tone: 'ok' },
    ]);
    expect(areas).toEqual([{ from: 1_000, to: 1_500, label: 'no leader' }]);
  });

  it('keeps a span without a leader open until the end of the data', () => {
    expect(chartAnnotations([mark(1_000, 'leader-lost')], [], 4_000).areas).toEqual([{ from: 1_000, to: 4_000, label: 'no leader' }]);
  });
});
