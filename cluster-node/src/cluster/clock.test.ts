import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { estimateOffset, RedisClock, redisTimeToMs } from './clock.js';

describe('estimateOffset', () => {
  it('takes the offset of the sample with the smallest round trip, from its midpoint', () => {
    const estimate = estimateOffset([
      { localBefore: 1000, localAfter: 1040, redisTime: 1100 }, // rtt 40, offset 80
      { localBefore: 2000, localAfter: 2004, redisTime: 2052 }, // rtt 4, offset 50
      { localBefore: 3000, localAfter: 3010, redisTime: 3000 }, // rtt 10, offset -5
    ]);
    expect(estimate).toEqual({ offsetMs: 50, rttMs: 4 });
  });

  it('keeps the first of equally fast samples and handles negative offsets', () => {
    expect(
      estimateOffset([
        { localBefore: 500, localAfter: 502, redisTime: 400 },
        { localBefore: 600, localAfter: 602, redisTime: 900 },
      ]),
    ).toEqual({ offsetMs: -101, rttMs: 2 });
  });

  it('says 0 when every sample is consistent with the clocks agreeing (one host)', () => {
    expect(
      estimateOffset([
        { localBefore: 1000, localAfter: 1003, redisTime: 1002.9 }, // midpoint says +1.4
        { localBefore: 2000, localAfter: 2001, redisTime: 2000.2 }, // midpoint says -0.3
      ]),
    ).toEqual({ offsetMs: 0, rttMs: 1 });
    // One sample that rules 0 out is enough to fall back to the best midpoint.
    const ruledOut = estimateOffset([
      { localBefore: 1000, localAfter: 1003, redisTime: 1002.9 },
      { localBefore: 2000, localAfter: 2001, redisTime: 2001.8 },
    ]);
    expect(ruledOut?.rttMs).toBe(1);
    expect(ruledOut?.offsetMs).toBeCloseTo(1.3, 9);
  });

  it('ignores samples whose clock went backwards or whose Redis time is unreadable', () => {
    expect(
      estimateOffset([
        { localBefore: 1000, localAfter: 990, redisTime: 1000 },
        { localBefore: 1000, localAfter: 1001, redisTime: Number.NaN },
        { localBefore: 1000, localAfter: 1030, redisTime: 1215 },
      ]),
    ).toEqual({ offsetMs: 200, rttMs: 30 });
    expect(estimateOffset([{ localBefore: 5, localAfter: 1, redisTime: 3 }])).toBeUndefined();
    expect(estimateOffset([])).toBeUndefined();
  });
});

describe('redisTimeToMs', () => {
  it('turns [seconds, microseconds] into epoch ms with the sub-millisecond part', () => {
    expect(redisTimeToMs(['1700000000', '250500'])).toBe(1_700_000_000_250.5);
    expect(Number.isNaN(redisTimeToMs([]))).toBe(true);
  });
});

describe('RedisClock', () => {
  const log = pino({ level: 'silent' });

  it('adopts the estimate and keeps the last offset while Redis fails', async () => {
    let fail = false;
    const redis = {
      time: async () => {
        if (fail) throw new Error('Connection is closed.');
        const ms = Date.now() + 5_000;
        return [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)];
      },
    };
    const clock = new RedisClock({ redis: redis as never, log }, { samples: 3 });
    expect(clock.offsetMs).toBe(0);
    expect(clock.rttMs).toBeUndefined();
    expect(await clock.sync()).toBe(true);
    expect(Math.abs(clock.offsetMs - 5_000)).toBeLessThanOrEqual(2);
    fail = true;
    const before = clock.offsetMs;
    expect(await clock.sync()).toBe(false);
    expect(clock.offsetMs).toBe(before);
    const { now } = clock;
    expect(Math.abs(now() - (Date.now() + before))).toBeLessThanOrEqual(1);
  });

  it('reads Redis time with sub-millisecond resolution on preciseNow', async () => {
    // A Redis 2.5 ms ahead, answering with microseconds as TIME does.
    const redis = {
      time: async () => {
        const micros = Math.round((performance.timeOrigin + performance.now() + 2.5) * 1000);
        return [String(Math.floor(micros / 1e6)), String(micros % 1e6)];
      },
    };
    const clock = new RedisClock({ redis: redis as never, log }, { samples: 5 });
    expect(await clock.sync()).toBe(true);
    const local = performance.timeOrigin + performance.now();
    const precise = clock.preciseNow();
    // The offset is resolved to well under a millisecond, which integer milliseconds could not do.
    expect(Math.abs(precise - local - 2.5)).toBeLessThan(0.5);
    const readings = Array.from({ length: 50 }, () => clock.preciseNow());
    expect(readings.some((value) => !Number.isInteger(value))).toBe(true);
    expect(readings.every((value, i) => i === 0 || value >= readings[i - 1]!)).toBe(true);
    expect(Number.isInteger(clock.now())).toBe(true);
  });
});
