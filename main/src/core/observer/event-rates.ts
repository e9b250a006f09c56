import type { EventRates } from '@switchboard/shared';

/** The window event rates are averaged over, ms. @default 3000 */
export const EVENT_RATE_WINDOW_MS = 3_000;

/** Width of one counting bucket, ms: the window slides by this much. @default 100 */
export const EVENT_RATE_BUCKET_MS = 100;

/** Options of an {@link EventRateMeter}. */
export interface EventRateMeterOptions {
  /** @default EVENT_RATE_WINDOW_MS (3000) */
  windowMs?: number;
  /** @default EVENT_RATE_BUCKET_MS (100) */
  bucketMs?: number;
}

/**
 * Events per second by kind over a sliding window, in fixed memory: counts go into buckets of
 * `bucketMs`, and a rate is the window's count divided by its length. Cheap enough to call for
 * every event of a busy bus.
 * @example const meter = new EventRateMeter(); meter.add('posted', Date.now()); meter.rates(Date.now()).total
 */
export class EventRateMeter {
  private readonly windowMs: number;
  private readonly bucketMs: number;
  /** Bucket start (ms) -> counts by kind; at most windowMs / bucketMs + 1 entries. */
  private readonly buckets = new Map<number, Map<string, number>>();

  constructor(options: EventRateMeterOptions = {}) {
    this.windowMs = options.windowMs ?? EVENT_RATE_WINDOW_MS;
    this.bucketMs = options.bucketMs ?? EVENT_RATE_BUCKET_MS;
  }

  /** Counts one event of `kind` at `now` (epoch ms). */
  add(kind: string, now: number): void {
    const start = now - (now % this.bucketMs);
    let bucket = this.buckets.get(start);
    if (!bucket) {
      this.prune(now);
      bucket = new Map();
      this.buckets.set(start, bucket);
    }
    bucket.set(kind, (bucket.get(kind) ?? 0) + 1);
  }

  /**
   * Rates at `now`: events in the last window, per second, by kind (kinds with none are absent).
   * The window is the current, partly elapsed bucket and the full ones before it, and counts are
   * divided by exactly that span, so a steady stream reads steady.
   */
  rates(now: number): EventRates {
    this.prune(now);
    const totals = new Map<string, number>();
    for (const bucket of this.buckets.values()) {
      for (const [kind, n] of bucket) totals.set(kind, (totals.get(kind) ?? 0) + n);
    }
    const currentStart = now - (now % this.bucketMs);
    const seconds = (this.windowMs - this.bucketMs + (now - currentStart)) / 1000;
    const perKind: Record<string, number> = {};
    let total = 0;
    for (const [kind, n] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
      perKind[kind] = seconds > 0 ? round(n / seconds) : 0;
      total += n;
    }
    return { total: seconds > 0 ? round(total / seconds) : 0, perKind };
  }

  /** Forgets every count (after an outage the old rates mean nothing). */
  reset(): void {
    this.buckets.clear();
  }

  private prune(now: number): void {
    const oldest = now - this.windowMs;
    for (const start of this.buckets.keys()) {
      if (start <= oldest) this.buckets.delete(start);
    }
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
