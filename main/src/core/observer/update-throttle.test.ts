import { describe, expect, it } from 'vitest';
import { UpdateThrottle, type ThrottleTimers } from './update-throttle.js';

/** Manual clock and timers: `advance(ms)` runs due callbacks in order. */
function fakeTimers(): ThrottleTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      due.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].callback();
      }
      now = end;
    },
    pending: () => due.size,
  };
}

describe('UpdateThrottle', () => {
  it('flushes the first mark at once and folds a burst into one flush per interval', () => {
    const timers = fakeTimers();
    const flushes: number[] = [];
    const throttle = new UpdateThrottle(() => flushes.push(timers.now()), 250, timers);
    throttle.mark();
    expect(flushes).toEqual([0]);
    // 1,000 marks spread over one second.
    for (let i = 0; i < 1_000; i += 1) {
      timers.advance(1);
      throttle.mark();
    }
    timers.advance(300);
    // The mark at 1 000 came just after that instant's flush, so one more follows at 1 250.
    expect(flushes).toEqual([0, 250, 500, 750, 1_000, 1_250]);
    expect(flushes.filter((at) => at <= 1_000).length).toBeLessThanOrEqual(5);
  });

  it('runs the trailing flush so the last change is never lost', () => {
    const timers = fakeTimers();
    let count = 0;
    const throttle = new UpdateThrottle(() => (count += 1), 250, timers);
    throttle.mark();
    throttle.mark();
    throttle.mark();
    expect(count).toBe(1);
    timers.advance(249);
    expect(count).toBe(1);
    timers.advance(1);
    expect(count).toBe(2);
    timers.advance(1_000);
    expect(count).toBe(2);
  });

  it('flushes nothing after close', () => {
    const timers = fakeTimers();
    let count = 0;
    const throttle = new UpdateThrottle(() => (count += 1), 250, timers);
    throttle.mark();
    throttle.mark();
    throttle.close();
    timers.advance(1_000);
    throttle.mark();
    expect(count).toBe(1);
    expect(timers.pending()).toBe(0);
  });
});
