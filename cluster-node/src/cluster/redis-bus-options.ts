import type { ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { BusMetrics } from './bus-metrics.js';

/** Timing and size knobs of the bus, each with its default. */
export interface RedisBusOptions {
  /** Entries the event stream keeps (approximately). @default 100000 */
  streamMaxLen?: number;
  /** Envelopes kept for publishing while Redis is unreachable; past it the oldest go. @default 10000 */
  bufferLimit?: number;
  /** Envelope ids remembered for dedupe. @default 20000 */
  dedupeWindow?: number;
  /** Stream entries read per repair round trip. @default 500 */
  repairBatch?: number;
  /**
   * How often the stream tail is read even without a detected gap, so an envelope pub/sub lost
   * at the very end of an outage still arrives. @default 2000
   */
  tailRepairMs?: number;
  /**
   * How long this node remembers what it published, to publish again what a failover lost (Redis
   * replicates asynchronously: the old primary may have acknowledged writes the new one never got).
   * @default 15000
   */
  acknowledgedWindowMs?: number;
  /** At most this many remembered publications. @default 5000 */
  acknowledgedLimit?: number;
  /**
   * How far back before its position the bus reads the stream after a reconnect or on a gap:
   * after a failover the new primary's entries may carry ids just below ones the old primary
   * handed out. Entries read again are dropped as duplicates. @default 3000
   */
  lookbackMs?: number;
}

/** What the bus needs: two Redis connections (one stays in subscribe mode) and its identity. */
export interface RedisBusDeps {
  publisher: Redis;
  subscriber: Redis;
  keys: ClusterKeys;
  nodeId: string;
  secret: string;
  log: Logger;
  metrics: BusMetrics;
  /** The node's Redis-corrected clock, epoch ms. */
  clock: () => number;
  /** Told when a gap in an origin's sequence could not be repaired from the stream. */
  onUnrepairableGap?: (origin: string) => void;
}

/**
 * How long an envelope published with a fixed id blocks a second publication of that id
 * cluster-wide (a retried request announcing the same post again).
 * @default 300000
 */
export const ANNOUNCE_ONCE_MS = 300_000;

/** The channel of skip notices: frames whose fixed id was announced before (not in the stream). */
export function skipChannel(keys: ClusterKeys): string {
  return `${keys.bus}:skipped`;
}
