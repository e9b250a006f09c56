import { describe, expect, it } from 'vitest';
import { compareStreamIds, RecentIds } from './dedupe.js';

describe('RecentIds', () => {
  it('reports repeats and forgets the oldest past capacity', () => {
    const ids = new RecentIds(2);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
    ids.add('b');
    ids.add('c');
    expect(ids.add('a')).toBe(true);
    expect(ids.add('c')).toBe(false);
  });
});

describe('compareStreamIds', () => {
  it('orders by milliseconds, then sequence, numerically', () => {
    expect(compareStreamIds('1700000000000-0', '1700000000000-0')).toBe(0);
    expect(compareStreamIds('1700000000000-9', '1700000000000-10')).toBe(-1);
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBe(1);
  });
});
