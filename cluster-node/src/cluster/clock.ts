import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';

/**
 * How often the offset to Redis `TIME` is estimated again, ms.
 * @default 30000
 */
export const CLOCK_RESYNC_MS = 30_000;

/**
 * Round trips to Redis per estimate; the one with the smallest round trip wins.
 * @default 5
 */
export const CLOCK_SAMPLES = 5;

/** The local wall clock with sub-millisecond resolution, epoch ms (Date.now() has whole ms). */
export function preciseLocalNow(): number {
  return performance.timeOrigin + performance.now();
}

/** One round trip to Redis `TIME`: local wall clock before and after, Redis's time in between (all epoch ms). */
export interface ClockSample {
  localBefore: number;
  localAfter: number;
  redisTime: number;
}

/** An offset estimate: add `offsetMs` to the local clock to read Redis's. */
export interface ClockEstimate {
  offsetMs: number;
  rttMs: number;
}

/**
 * Picks the sample with the smallest round trip (the one whose midpoint is likeliest to be
 * when Redis read its clock) and returns its offset `redisTime - (before + after) / 2`, unless the
 * samples prove nothing more than "the clocks agree": each sample bounds the offset to
 * `[redisTime - after, redisTime - before]`, and when 0 lies inside every bound the offset is 0.
 * That matters on one host (every node on the same clock): a midpoint taken on a busy event loop
 * is late by up to half its round trip, which would make sub-millisecond hops come out negative.
 * Samples whose clock went backwards (`after < before`) are ignored; none usable gives undefined.
 * @example estimateOffset([{ localBefore: 100, localAfter: 104, redisTime: 152 }]) // { offsetMs: 50, rttMs: 4 }
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | undefined {
  let best: ClockSample | undefined;
  let low = -Infinity;
  let high = Infinity;
  for (const sample of samples) {
    const rtt = sample.localAfter - sample.localBefore;
    if (rtt < 0 || !Number.isFinite(rtt) || !Number.isFinite(sample.redisTime)) continue;
    low = Math.max(low, sample.redisTime - sample.localAfter);
    high = Math.min(high, sample.redisTime - sample.localBefore);
    if (!best || rtt < best.localAfter - best.localBefore) best = sample;
  }
  if (!best) return undefined;
  const rttMs = best.localAfter - best.localBefore;
  if (low <= 0 && 0 <= high) return { offsetMs: 0, rttMs };
  return { offsetMs: best.redisTime - (best.localBefore + best.localAfter) / 2, rttMs };
}

/**
 * Parses the reply of Redis `TIME` (`[seconds, microseconds]`) into epoch ms.
 * @example redisTimeToMs(['1700000000', '250000']) // 1700000000250
 */
export function redisTimeToMs(reply: ReadonlyArray<string | number>): number {
  return Number(reply[0]) * 1000 + Number(reply[1]) / 1000;
}

/** Knobs of {@link RedisClock}. */
export interface RedisClockOptions {
  /** Re-estimation period, ms. @default CLOCK_RESYNC_MS (30000) */
  resyncMs?: number;
  /** Round trips per estimate. @default CLOCK_SAMPLES (5) */
  samples?: number;
}

/**
 * This node's clock, corrected to Redis `TIME` so timestamps from different machines compare
 * (propagation latency is origin `ts` against receiver `now()`). Until the first estimate and
 * whenever Redis is unreachable it keeps the last offset (0 at first).
 */
export class RedisClock {
  private offset = 0;
  /** The offset from {@link preciseLocalNow} to Redis's clock, fractional ms. */
  private preciseOffset = 0;
  private rtt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly options: Required<RedisClockOptions>;

  constructor(
    private readonly deps: { redis: Pick<Redis, 'time'>; log: Logger },
    options: RedisClockOptions = {},
  ) {
    this.options = { resyncMs: CLOCK_RESYNC_MS, samples: CLOCK_SAMPLES, ...options };
  }

  /** Epoch ms on Redis's clock (integer). An arrow property, so it can be passed around unbound. */
  readonly now = (): number => Date.now() + this.offset;

  /**
   * Epoch ms on Redis's clock with microsecond decimals: envelope timestamps and propagation
   * latency use it, so a sub-millisecond hop is measured rather than rounded to 0 or 1.
   */
  readonly preciseNow = (): number => Math.round((preciseLocalNow() + this.preciseOffset) * 1000) / 1000;

  /** The current offset (Redis minus local), integer ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Round trip of the sample behind the current offset, ms; undefined before the first estimate. */
  get rttMs(): number | undefined {
    return this.rtt;
  }

  /** Estimates once (waiting for it, so `now()` is corrected from the start), then every `resyncMs`. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync(), this.options.resyncMs);
    this.timer.unref();
  }

  /** Stops re-estimating; `now()` keeps the last offset. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes the samples and adopts the estimate; on failure keeps the last offset. Returns whether it succeeded. */
  async sync(): Promise<boolean> {
    const samples: ClockSample[] = [];
    try {
      for (let i = 0; i < this.options.samples; i += 1) {
        const localBefore = preciseLocalNow();
        const reply = await this.deps.redis.time();
        samples.push({ localBefore, localAfter: preciseLocalNow(), redisTime: redisTimeToMs(reply) });
      }
    } catch (err) {
      this.deps.log.warn({ err, offsetMs: this.offset }, 'clock sync failed, keeping the last offset');
      return false;
    }
    const estimate = estimateOffset(samples);
    if (!estimate) return false;
    const first = this.rtt === undefined;
    this.preciseOffset = estimate.offsetMs;
    // Date.now() and performance's clock can differ by a fraction of a ms; the integer clock's
    // offset is taken against Date.now() itself.
    this.offset = Math.round(estimate.offsetMs + preciseLocalNow() - Date.now());
    this.rtt = estimate.rttMs;
    // The first estimate is worth an info line; the periodic ones only at debug.
    this.deps.log[first ? 'info' : 'debug']({ offsetMs: this.offset, rttMs: this.rtt }, 'clock offset to redis estimated');
    return true;
  }
}
