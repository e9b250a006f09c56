import { parseLatencySummary, type ClusterKeys, type LatencySummary, type OriginLatency } from '@switchboard/shared';
import { build, type Histogram } from 'hdr-histogram-js';
import type { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';

/**
 * How often a node closes its latency window and publishes the summary, ms.
 * @default 1000
 */
export const LATENCY_WINDOW_MS = 1_000;

/**
 * TTL of a published summary, ms: a node that stops publishing (dead) vanishes from readers.
 * @default 5000
 */
export const LATENCY_TTL_MS = 5_000;

/**
 * Largest latency recorded, µs (one hour); larger values (a broken clock) are clamped to it.
 * @default 3600000000
 */
export const LATENCY_MAX_US = 3_600_000_000;

/** Quantiles published per origin, as Prometheus `quantile` labels (1 is the max). */
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
  ['1', 'max'],
] as const;

/** What a {@link LatencyRecorder} needs. */
export interface LatencyRecorderDeps {
  redis: Pick<Redis, 'set' | 'del'>;
  keys: ClusterKeys;
  nodeId: string;
  /** The node's prom-client registry; the recorder registers its metrics there. */
  registry: Registry;
  log: Logger;
  /** Window length, ms. @default LATENCY_WINDOW_MS (1000) */
  windowMs?: number;
  /** The node's Redis-corrected clock, for the summary's `ts`. @default Date.now */
  clock?: () => number;
}

interface OriginHistograms {
  window: Histogram;
  total: Histogram;
  windowSkew: number;
  totalSkew: number;
}

/**
 * Propagation latency per origin node. Values are recorded in **microseconds** (integers, as
 * HDR histograms need) with 3 significant digits, so sub-millisecond latencies stay visible;
 * summaries and Redis figures are milliseconds with three decimals, Prometheus in seconds.
 * A negative latency (origin clock ahead of ours) is recorded as 0 and counted as clock skew.
 * Each window's histograms are reset after its summary; cumulative ones are kept beside them.
 */
export class LatencyRecorder {
  private readonly origins = new Map<string, OriginHistograms>();
  private readonly windowMs: number;
  private readonly clock: () => number;
  private readonly gauge: Gauge<'origin' | 'quantile'>;
  private readonly samples: Counter<'origin'>;
  private readonly skew: Counter<'origin'>;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private publishFailing = false;

  constructor(private readonly deps: LatencyRecorderDeps) {
    this.windowMs = deps.windowMs ?? LATENCY_WINDOW_MS;
    this.clock = deps.clock ?? Date.now;
    const registers = [deps.registry];
    this.gauge = new Gauge({
      name: 'switchboard_bus_latency_seconds',
      help: 'Origin-to-this-node propagation latency over the last window, by origin node and quantile (1 = max).',
      labelNames: ['origin', 'quantile'],
      registers,
    });
    this.samples = new Counter({ name: 'switchboard_bus_latency_samples_total', help: 'Latency samples recorded, by origin node.', labelNames: ['origin'], registers });
    this.skew = new Counter({
      name: 'switchboard_bus_latency_clock_skew_total',
      help: 'Envelopes stamped later than they arrived (clock skew beyond the Redis correction), by origin node.',
      labelNames: ['origin'],
      registers,
    });
  }

  /** Records one envelope: sent at `originTs` by `origin`, received at `receivedAt` (epoch ms, both Redis-corrected). */
  record(origin: string, originTs: number, receivedAt: number): void {
    if (!Number.isFinite(originTs) || !Number.isFinite(receivedAt)) return;
    const entry = this.entry(origin);
    let micros = Math.round((receivedAt - originTs) * 1000);
    if (micros < 0) {
      micros = 0;
      entry.windowSkew += 1;
      entry.totalSkew += 1;
      this.skew.inc({ origin });
    }
    micros = Math.min(micros, LATENCY_MAX_US);
    entry.window.recordValue(micros);
    entry.total.recordValue(micros);
    this.samples.inc({ origin });
  }

  /**
   * Closes the current window: returns its summary, resets the window histograms and sets the
   * gauges (an origin silent in the window loses its gauges rather than show stale figures).
   */
  takeWindow(): LatencySummary {
    const origins: Record<string, OriginLatency> = {};
    for (const [origin, entry] of this.origins) {
      if (entry.window.totalCount === 0) {
        for (const [quantile] of QUANTILES) this.gauge.remove({ origin, quantile });
        continue;
      }
      const figures = summarize(entry.window, entry.windowSkew);
      origins[origin] = figures;
      for (const [quantile, field] of QUANTILES) this.gauge.set({ origin, quantile }, figures[field] / 1000);
      entry.window.reset();
      entry.windowSkew = 0;
    }
    return { nodeId: this.deps.nodeId, ts: this.clock(), windowMs: this.windowMs, origins };
  }

  /** Figures since start, per origin (same shape as a window's). */
  cumulative(): Record<string, OriginLatency> {
    const out: Record<string, OriginLatency> = {};
    for (const [origin, entry] of this.origins) {
      if (entry.total.totalCount > 0) out[origin] = summarize(entry.total, entry.totalSkew);
    }
    return out;
  }

  /** Publishes a summary every window. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const summary = this.takeWindow();
      this.pending = this.pending.then(() => this.publish(summary));
    }, this.windowMs);
    this.timer.unref();
  }

  /** Stops publishing and removes this node's summary (best effort: its TTL removes it anyway). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pending;
    await this.deps.redis.del(this.deps.keys.latency(this.deps.nodeId)).catch(() => {});
  }

  private entry(origin: string): OriginHistograms {
    let entry = this.origins.get(origin);
    if (!entry) {
      entry = { window: newHistogram(), total: newHistogram(), windowSkew: 0, totalSkew: 0 };
      this.origins.set(origin, entry);
    }
    return entry;
  }

  private async publish(summary: LatencySummary): Promise<void> {
    try {
      await this.deps.redis.set(this.deps.keys.latency(this.deps.nodeId), JSON.stringify(summary), 'PX', LATENCY_TTL_MS);
      this.publishFailing = false;
    } catch (err) {
      // Once per outage at warn: Redis being away is reported elsewhere, every second here is noise.
      this.deps.log[this.publishFailing ? 'debug' : 'warn']({ err }, 'latency summary not published');
      this.publishFailing = true;
    }
  }
}

function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: LATENCY_MAX_US, numberOfSignificantValueDigits: 3, autoResize: false });
}

/**
 * Milliseconds with three decimals from a histogram of microseconds. HDR reports a percentile
 * as the top of its bucket, which can exceed the recorded max; percentiles are capped at it.
 */
function summarize(histogram: Histogram, clockSkew: number): OriginLatency {
  const max = histogram.maxValue;
  const at = (percentile: number) => Math.round(Math.min(histogram.getValueAtPercentile(percentile), max)) / 1000;
  return { count: histogram.totalCount, p50: at(50), p90: at(90), p99: at(99), max: Math.round(max) / 1000, clockSkew };
}

/**
 * Reads every node's latest summary from Redis (SCAN over the latency keys, then MGET);
 * entries that fail the shared schema, or whose `nodeId` does not match their key, are skipped.
 * @example const summaries = await readLatency(redis, clusterKeys('prod')); // sorted by nodeId
 */
export async function readLatency(redis: Pick<Redis, 'scan' | 'mget'>, keys: ClusterKeys): Promise<LatencySummary[]> {
  // Cluster names are [a-z0-9_-], so the builder's output holds no glob character but our '*'.
  const pattern = keys.latency('*');
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    for (const key of batch) found.add(key);
  } while (cursor !== '0');
  const names = [...found];
  if (names.length === 0) return [];
  const values = await redis.mget(...names);
  const summaries: LatencySummary[] = [];
  values.forEach((value, i) => {
    const summary = parseLatencySummary(value);
    if (summary && keys.latency(summary.nodeId) === names[i]) summaries.push(summary);
  });
  return summaries.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}
