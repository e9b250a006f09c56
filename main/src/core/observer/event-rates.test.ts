import { describe, expect, it } from 'vitest';
import { EventRateMeter } from './event-rates.js';

describe('EventRateMeter', () => {
  it('averages events per second by kind over the window', () => {
    const meter = new EventRateMeter({ windowMs: 2_000, bucketMs: 1_000 });
    for (let i = 0; i < 100; i += 1) meter.add('posted', 10_000 + i * 10);
    for (let i = 0; i < 10; i += 1) meter.add('typing', 10_500 + i);
    // At 11 000 the window is the full bucket [10 000, 11 000) and the just-opened one: 1 s.
    expect(meter.rates(11_000)).toEqual({ total: 110, perKind: { posted: 100, typing: 10 } });
    // Half a second later it spans 1.5 s.
    expect(meter.rates(11_500)).toEqual({ total: 73.33, perKind: { posted: 66.67, typing: 6.67 } });
  });

  it('forgets events older than the window', () => {
    const meter = new EventRateMeter({ windowMs: 1_000, bucketMs: 100 });
    meter.add('posted', 0);
    meter.add('posted', 950);
    // At 1 000 the bucket of 0 has left the window; the one of 950 counts over a 0.9 s span.
    expect(meter.rates(1_000).perKind.posted).toBe(1.11);
    expect(meter.rates(5_000)).toEqual({ total: 0, perKind: {} });
  });

  it('reads a steady stream steadily, in bounded memory', () => {
    const meter = new EventRateMeter({ windowMs: 1_000, bucketMs: 100 });
    for (let t = 0; t < 60_000; t += 5) {
      meter.add('posted', t);
      if (t % 1_000 === 999) expect(meter.rates(t).total).toBe(200);
    }
    expect((meter as unknown as { buckets: Map<number, unknown> }).buckets.size).toBeLessThanOrEqual(11);
    expect(meter.rates(60_000).total).toBe(200);
  });

  it('starts again from nothing after reset', () => {
    const meter = new EventRateMeter();
    meter.add('posted', 1_000);
    meter.reset();
    expect(meter.rates(1_000).total).toBe(0);
  });
});
