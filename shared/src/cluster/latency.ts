import { z } from 'zod';

/**
 * Propagation latency as each node publishes it every window under `keys.latency(nodeId)`:
 * how long envelopes from each origin node took to reach this node, origin clock to receiver
 * clock, both corrected to Redis `TIME`. Figures are milliseconds with microsecond precision
 * (three decimals), as far as the HDR histogram resolves them (3 significant digits).
 */

const millis = z.number().finite().nonnegative();

/** Figures for one origin over one window. */
export const originLatencySchema = z.object({
  /** Envelopes from this origin received in the window. */
  count: z.number().int().nonnegative(),
  p50: millis,
  p90: millis,
  p99: millis,
  max: millis,
  /** Envelopes whose origin timestamp was ahead of the receiver's clock (recorded as 0 ms). */
  clockSkew: z.number().int().nonnegative(),
});

/** One node's latency summary for its last window. */
export const latencySummarySchema = z.object({
  /** The receiving node. */
  nodeId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  /** When the window closed, epoch ms (Redis-corrected clock). */
  ts: z.number().int().nonnegative(),
  /** Length of the window, ms. */
  windowMs: z.number().int().positive(),
  /** Keyed by origin node id; an origin with no envelope in the window is absent. */
  origins: z.record(z.string().min(1).max(63), originLatencySchema),
});

/** Figures for one origin over one window. */
export type OriginLatency = z.infer<typeof originLatencySchema>;
/** One node's latency summary for its last window. */
export type LatencySummary = z.infer<typeof latencySummarySchema>;

/**
 * One published summary as read from Redis: the summary, or undefined when the key is absent,
 * the value is not JSON or it fails the schema.
 * @example const summary = parseLatencySummary(await redis.get(keys.latency('n1')));
 */
export function parseLatencySummary(raw: string | null): LatencySummary | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = latencySummarySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
