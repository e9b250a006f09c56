import type { Envelope } from '@switchboard/shared';
import type { Redis } from 'ioredis';

/** An envelope this node published and Redis acknowledged, with where the stream put it. */
export interface Acknowledged {
  streamId: string;
  /** The signed frame, exactly as published. */
  frame: string;
  /** The fixed envelope id it was published with, if any. */
  onceId?: string;
  /** The envelope the frame carries. */
  envelope: Envelope;
  /** When Redis acknowledged it (node clock, epoch ms). */
  at: number;
}

/**
 * The envelopes this node published in the last `windowMs` (at most `limit`), oldest first.
 * Redis replicates asynchronously, so a Sentinel failover can lose the last writes the old
 * primary acknowledged; after every reconnect the bus checks these against the stream and
 * publishes again, in order, those the new primary does not have.
 */
export class AcknowledgedLog {
  private items: Acknowledged[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(item: Acknowledged): void {
    this.items.push(item);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
  }

  /** What is still inside the window, oldest first. */
  current(): Acknowledged[] {
    const since = this.now() - this.windowMs;
    const first = this.items.findIndex((item) => item.at >= since);
    this.items = first < 0 ? [] : this.items.slice(first);
    return [...this.items];
  }

  /** Forgets `lost` (they are being published again and come back with new stream ids). */
  remove(lost: readonly Acknowledged[]): void {
    const gone = new Set(lost);
    this.items = this.items.filter((item) => !gone.has(item));
  }

  get size(): number {
    return this.items.length;
  }
}

/**
 * The stream id `ms` milliseconds before `id` (sequence 0), to read a stretch of the stream again
 * after a failover: the new primary's ids may sit just below ones the old primary handed out.
 * @example streamIdBefore('1700000005000-3', 2000) // '1700000003000-0'
 */
export function streamIdBefore(id: string, ms: number): string {
  const millis = BigInt(id.split('-')[0] ?? '0') - BigInt(ms);
  return `${millis < 0n ? 0n : millis}-0`;
}

/**
 * Which of `recent` the stream no longer holds with the same frame (one XRANGE per id, in one
 * pipeline), in their order. Throws when Redis does not answer.
 */
export async function missingFromStream(redis: Redis, stream: string, recent: readonly Acknowledged[]): Promise<Acknowledged[]> {
  const pipeline = redis.pipeline();
  for (const item of recent) pipeline.xrange(stream, item.streamId, item.streamId);
  const results = (await pipeline.exec()) ?? [];
  return recent.filter((item, i) => {
    const [err, entries] = results[i] ?? [new Error('no reply from redis')];
    if (err) throw err;
    const kept = (entries as Array<[string, string[]]>)[0];
    return kept?.[1]?.[1] !== item.frame;
  });
}
