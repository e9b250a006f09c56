import { describe, expect, it } from 'vitest';
import { pushBounded, pushSeries } from './bounded.js';

describe('pushBounded', () => {
  it('appends while under capacity', () => {
    expect(pushBounded([1, 2], [3], 5)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest items at capacity', () => {
    expect(pushBounded([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(pushBounded([1, 2, 3], [4, 5, 6, 7, 8], 3)).toEqual([6, 7, 8]);
  });

  it('never grows past capacity over many pushes and returns a new array', () => {
    let list: number[] = [];
    let copies = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const next = pushBounded(list, [i], 600);
      if (next !== list) copies += 1;
      list = next;
    }
    expect(copies).toBe(2_000);
    expect(list).toHaveLength(600);
    expect(list[0]).toBe(1_400);
    expect(list.at(-1)).toBe(1_999);
  });

  it('returns nothing for a capacity of zero', () => {
    expect(pushBounded([1], [2], 0)).toEqual([]);
  });
});

describe('pushSeries', () => {
  it('bounds each key on its own', () => {
    let series: Record<string, number[]> = {};
    for (let i = 0; i < 5; i += 1) series = pushSeries(series, 'a', i, 3);
    series = pushSeries(series, 'b', 9, 3);
    expect(series).toEqual({ a: [2, 3, 4], b: [9] });
  });
});
