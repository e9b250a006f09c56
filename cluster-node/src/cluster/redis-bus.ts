import { ENVELOPE_VERSION, envelopeSchema, newId, type ClusterEvent, type ClusterKeys, type Envelope } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { EventBus, EventHandler, EventMeta, PublishOptions } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { BusMetrics } from './bus-metrics.js';
import { compareStreamIds, RecentIds } from './dedupe.js';
import { signFrame, verifyFrame } from './signing.js';

/**
 * Appends to the stream and publishes in one atomic step, so pub/sub order is stream order
 * cluster-wide. The published message is `<stream id> <signed frame>`.
 */
const PUBLISH_LUA = `
if ARGV[3] ~= '' and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then return '' end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[1])
return id`;

/**
 * How long an envelope published with a fixed id blocks a second publication of that id
 * cluster-wide (a retried request announcing the same post again).
 * @default 300000
 */
export const ANNOUNCE_ONCE_MS = 300_000;

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

type PublisherWithScript = Redis & { sbPublish(stream: string, channel: string, once: string, frame: string, maxLen: number, onceMs: number | ''): Promise<string> };

/** A frame waiting to be published, with its fixed envelope id if it has one. */
interface Pending {
  frame: string;
  onceId?: string;
}

/**
 * The cluster bus over Redis: signed envelopes published with XADD+PUBLISH in one script;
 * received ones verified, validated, deduplicated by id and checked for gaps per origin, gaps
 * repaired from the stream. While Redis is unreachable, publications are buffered (bounded) and
 * delivered to this node's handlers at once; they are flushed in order on reconnect, and their
 * echo is dropped as a duplicate.
 */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();
  private readonly recent: RecentIds;
  private readonly originSeqs = new Map<string, number>();
  private readonly buffer: Pending[] = [];
  private readonly options: Required<RedisBusOptions>;
  private readonly publisher: PublisherWithScript;
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  private lastStreamId: string | undefined;
  private flushing = false;
  private closed = false;
  private tailTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: RedisBusDeps,
    options: RedisBusOptions = {},
  ) {
    this.options = { streamMaxLen: 100_000, bufferLimit: 10_000, dedupeWindow: 20_000, repairBatch: 500, tailRepairMs: 2_000, ...options };
    this.recent = new RecentIds(this.options.dedupeWindow);
    deps.publisher.defineCommand('sbPublish', { numberOfKeys: 3, lua: PUBLISH_LUA });
    this.publisher = deps.publisher as PublisherWithScript;
  }

  /** Subscribes to the bus channel and starts repairing after every reconnect. */
  async start(): Promise<void> {
    this.deps.subscriber.on('message', (_channel: string, message: string) => this.enqueue(() => this.onMessage(message)));
    // After a reconnect ioredis re-subscribes on this connection; a PING answered behind it
    // proves the subscription is back before the stream is read, so nothing falls in between.
    // While not yet connected, the SUBSCRIBE below waits in the offline queue and runs on the first ready.
    let first = this.deps.subscriber.status !== 'ready';
    this.deps.subscriber.on('ready', () => {
      if (first) {
        first = false;
        return;
      }
      this.enqueue(async () => {
        await this.deps.subscriber.subscribe(this.deps.keys.bus).catch((err: unknown) => this.deps.log.warn({ err }, 'bus re-subscribe failed'));
        await this.repair();
      });
    });
    this.tailTimer = setInterval(() => {
      if (this.connected) this.enqueue(() => this.repair());
    }, this.options.tailRepairMs);
    this.tailTimer.unref();
    this.deps.publisher.on('ready', () => void this.flush());
    const subscribed = this.deps.subscriber.subscribe(this.deps.keys.bus);
    if (this.deps.subscriber.status !== 'ready') {
      // Redis is away: the subscription is queued and happens on connect.
      subscribed.catch((err: unknown) => this.deps.log.warn({ err }, 'bus subscribe failed'));
      return;
    }
    await subscribed;
    const [last] = (await this.deps.publisher.xrevrange(this.deps.keys.stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    this.lastStreamId = last?.[0];
  }

  /** Whether publishing reaches Redis right now. */
  get connected(): boolean {
    return this.deps.publisher.status === 'ready';
  }

  /** The stream position of the last envelope delivered to handlers. */
  get position(): string | undefined {
    return this.lastStreamId;
  }

  async publish(event: ClusterEvent, options: PublishOptions = {}): Promise<void> {
    this.seq += 1;
    const envelope: Envelope = { v: ENVELOPE_VERSION, id: options.id ?? newId(), origin: this.deps.nodeId, originSeq: this.seq, ts: this.deps.clock(), ...event };
    const frame = signFrame(this.deps.secret, JSON.stringify(envelope));
    this.deps.metrics.published.inc({ kind: event.kind });
    if (this.buffer.length === 0 && this.connected) {
      try {
        await this.send({ frame, onceId: options.id });
        return;
      } catch (err) {
        this.deps.log.warn({ err }, 'bus publish failed, buffering');
      }
    }
    this.bufferFrame({ frame, onceId: options.id });
    // Redis is away: this node's own clients still get the event now; the echo is deduplicated.
    this.recent.add(envelope.id);
    this.dispatch(event, { origin: envelope.origin, ts: envelope.ts });
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Reads stream entries after `fromExclusive` (for resume): verified envelopes with their ids. */
  async readStream(fromExclusive: string, toInclusive: string, count: number): Promise<Array<{ streamId: string; envelope: Envelope }>> {
    const entries = (await this.deps.publisher.xrange(this.deps.keys.stream, `(${fromExclusive}`, toInclusive, 'COUNT', count)) as Array<[string, string[]]>;
    const out: Array<{ streamId: string; envelope: Envelope }> = [];
    for (const [streamId, fields] of entries) {
      const envelope = this.open(fields[1] ?? '');
      if (envelope) out.push({ streamId, envelope });
    }
    return out;
  }

  /** The oldest id the stream still holds, or undefined when it is empty. */
  async oldestStreamId(): Promise<string | undefined> {
    const [first] = (await this.deps.publisher.xrange(this.deps.keys.stream, '-', '+', 'COUNT', 1)) as Array<[string, string[]]>;
    return first?.[0];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.tailTimer);
    this.handlers.clear();
    await this.chain;
  }

  /** One atomic XADD + PUBLISH; a fixed id already announced in the last ANNOUNCE_ONCE_MS is skipped. */
  private async send(pending: Pending): Promise<void> {
    const once = this.deps.keys.announced(pending.onceId ?? '-');
    await this.publisher.sbPublish(this.deps.keys.stream, this.deps.keys.bus, once, pending.frame, this.options.streamMaxLen, pending.onceId ? ANNOUNCE_ONCE_MS : '');
  }

  private enqueue(step: () => Promise<void> | void): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.deps.log.error({ err }, 'bus step failed'));
  }

  private bufferFrame(pending: Pending): void {
    this.buffer.push(pending);
    if (this.buffer.length > this.options.bufferLimit) {
      this.buffer.shift();
      this.deps.metrics.bufferDropped.inc();
      this.deps.log.error({ limit: this.options.bufferLimit }, 'bus buffer full, oldest envelope dropped');
    }
    this.deps.metrics.buffered.set(this.buffer.length);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      while (this.buffer.length > 0 && this.connected) {
        await this.send(this.buffer[0]!);
        this.buffer.shift();
        this.deps.metrics.buffered.set(this.buffer.length);
      }
      if (this.buffer.length === 0) this.deps.log.info('bus buffer flushed');
    } catch (err) {
      this.deps.log.warn({ err, left: this.buffer.length }, 'bus flush interrupted');
    } finally {
      this.flushing = false;
    }
  }

  private async onMessage(message: string): Promise<void> {
    const space = message.indexOf(' ');
    const streamId = message.slice(0, space);
    if (space < 0 || !/^\d+-\d+$/.test(streamId)) {
      this.deps.metrics.dropped.inc({ reason: 'malformed' });
      return;
    }
    await this.receive(streamId, message.slice(space + 1), false);
  }

  /** Verifies, validates and parses a signed frame; counts and returns undefined when it fails. */
  private open(frame: string): Envelope | undefined {
    const payload = verifyFrame(this.deps.secret, frame);
    if (payload === undefined) {
      this.deps.metrics.dropped.inc({ reason: 'signature' });
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      json = undefined;
    }
    const parsed = envelopeSchema.safeParse(json);
    if (!parsed.success) {
      this.deps.metrics.dropped.inc({ reason: 'malformed' });
      return undefined;
    }
    return parsed.data;
  }

  private async receive(streamId: string, frame: string, repairing: boolean): Promise<void> {
    if (this.closed) return;
    const envelope = this.open(frame);
    if (!envelope) return;
    const lastSeq = this.originSeqs.get(envelope.origin);
    if (!repairing && lastSeq !== undefined && envelope.originSeq > lastSeq + 1) {
      this.deps.metrics.gaps.inc();
      await this.repair(streamId);
      const after = this.originSeqs.get(envelope.origin) ?? 0;
      if (envelope.originSeq > after + 1) {
        this.deps.metrics.gapsUnrepaired.inc();
        this.deps.log.error({ origin: envelope.origin, expected: after + 1, got: envelope.originSeq }, 'bus gap could not be repaired');
        this.deps.onUnrepairableGap?.(envelope.origin);
      }
    }
    if (this.lastStreamId === undefined || compareStreamIds(streamId, this.lastStreamId) > 0 || !repairing) this.lastStreamId = streamId;
    // A lower originSeq means the origin restarted and counts from 1 again.
    this.originSeqs.set(envelope.origin, envelope.originSeq);
    if (!this.recent.add(envelope.id)) {
      this.deps.metrics.dropped.inc({ reason: 'duplicate' });
      return;
    }
    const { kind, broadcast, data } = envelope;
    this.dispatch({ kind, broadcast, data } as ClusterEvent, { origin: envelope.origin, ts: envelope.ts, streamId });
  }

  /** Reads what the stream holds after our position (up to `before`, exclusive) and delivers it. */
  private async repair(before?: string): Promise<void> {
    if (this.lastStreamId === undefined || this.closed) return;
    for (;;) {
      const from: string = this.lastStreamId;
      const entries = (await this.deps.publisher.xrange(this.deps.keys.stream, `(${from}`, before ? `(${before}` : '+', 'COUNT', this.options.repairBatch)) as Array<[string, string[]]>;
      for (const [streamId, fields] of entries) {
        this.deps.metrics.repaired.inc();
        await this.receive(streamId, fields[1] ?? '', true);
      }
      if (entries.length < this.options.repairBatch || this.lastStreamId === from) return;
    }
  }

  private dispatch(event: ClusterEvent, meta: EventMeta): void {
    this.deps.metrics.received.inc({ kind: event.kind });
    for (const handler of this.handlers) handler(event, meta);
  }
}
