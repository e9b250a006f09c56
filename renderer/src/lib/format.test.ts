import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatLatency, formatRate, MISSING } from './format.js';

describe('format', () => {
  it('prints durations in the largest sensible units', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 m 05 s');
    expect(formatDuration(2 * 3_600_000 + 14 * 60_000)).toBe('2 h 14 m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 ms');
  });

  it('prints latencies with precision where it matters', () => {
    expect(formatLatency(0.423)).toBe('0.42 ms');
    expect(formatLatency(12.345)).toBe('12.3 ms');
    expect(formatLatency(240.4)).toBe('240 ms');
  });

  it('prints rates, counts and bytes', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.4)).toBe('0.4/s');
    expect(formatRate(1234)).toBe('1.2k/s');
    expect(formatCount(10_000)).toBe('10,000');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });

  it('prints missing figures as a dash, never NaN', () => {
    for (const fn of [formatDuration, formatLatency, formatRate, formatCount, formatBytes]) {
      expect(fn(null)).toBe(MISSING);
      expect(fn(undefined)).toBe(MISSING);
      expect(fn(Number.NaN)).toBe(MISSING);
    }
  });
});
