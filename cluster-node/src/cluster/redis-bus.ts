import { ENVELOPE_VERSION, newId, type ClusterEvent, type Envelope } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { EventBus, EventHandler, EventMeta, PublishOptions } from '../events/event-bus.js';
import { AcknowledgedLog, missingFromStream, streamIdBefore } from './acknowledged.js';
import { ANNOUNCE_ONCE_MS, skipChannel, type RedisBusDeps, type RedisBusOptions } from './redis-bus-options.js';
import { compareStreamIds, RecentIds } from './dedupe.js';
import { openFrame, signFrame } from './signing.js';
import { markStreamRewritten, positionLost } from './stream-rewrite.js';

export { ANNOUNCE_ONCE_MS, skipChannel, type RedisBusDeps, type RedisBusOptions } from './redis-bus-options.js';

/**
 * Appends to the stream and publishes in one atomic step, so pub/sub order is stream order
 * cluster-wide. The published message is `<stream id> <signed frame>`. A fixed id announced
 * before is not appended again; its frame goes to the skip channel instead, so receivers know
 * the origin's sequence number was used and see no gap.
 */
const PUBLISH_LUA = `
if ARGV[3] ~= '' and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', ARGV[3]) then
  redis.call('PUBLISH', KEYS[4], ARGV[1])
  return ''
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[1])
return id`;

type PublisherWithScript = Redis & { sbPublish(stream: string, channel: string, once: string, skips: string, frame: string, maxLen: number, onceMs: number | ''): Promise<string> };


/** A frame waiting to be published, with its fixed envelope id if it has one. */
interface Pending {
  frame: string;
  onceId?: string;
  envelope: Envelope;
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
  private readonly acknowledged: AcknowledgedLog;
  /** Stream id of the last envelope delivered from each origin (where a gap repair starts reading). */
  private readonly originIds = new Map<string, string>();
  /** The subscriber reconnected at this position: the stream must be read again from before it. */
  private catchUpFrom: string | undefined;
  /** The publisher reconnected: check what the stream kept of ours before publishing anything new. */
  private mustVerify = false;
  private readonly gapListeners = new Set<(origin: string) => void>();
  /** Our envelopes Redis acknowledged whose echo has not come back yet, oldest first. */
  private readonly unechoed = new Map<string, Envelope>();

  constructor(
    private readonly deps: RedisBusDeps,
    options: RedisBusOptions = {},
  ) {
    this.options = {
      streamMaxLen: 100_000,
      bufferLimit: 10_000,
      dedupeWindow: 20_000,
      repairBatch: 500,
      tailRepairMs: 2_000,
      acknowledgedWindowMs: 15_000,
      acknowledgedLimit: 5_000,
      lookbackMs: 3_000,
      ...options,
    };
    this.recent = new RecentIds(this.options.dedupeWindow);
    this.acknowledged = new AcknowledgedLog(this.options.acknowledgedWindowMs, this.options.acknowledgedLimit);
    if (deps.onUnrepairableGap) this.gapListeners.add(deps.onUnrepairableGap);
    deps.publisher.defineCommand('sbPublish', { numberOfKeys: 4, lua: PUBLISH_LUA });
    this.publisher = deps.publisher as PublisherWithScript;
  }

  /** Subscribes to the bus channel and starts repairing after every reconnect. */
  async start(): Promise<void> {
    const skips = skipChannel(this.deps.keys);
    this.deps.subscriber.on('message', (channel: string, message: string) => this.enqueue(() => (channel === skips ? this.onSkip(message) : this.onMessage(message))));
    // After a reconnect ioredis re-subscribes on this connection; a PING answered behind it
    // proves the subscription is back before the stream is read, so nothing falls in between.
    // While not yet connected, the SUBSCRIBE below waits in the offline queue and runs on the first ready.
    let first = this.deps.subscriber.status !== 'ready';
    this.deps.subscriber.on('ready', () => {
      if (first) {
        first = false;
        return;
      }
      // Read a little before our position too: after a failover the new primary may hold entries
      // with ids just below the last one the old primary gave us. Those we had are duplicates.
      if (this.lastStreamId !== undefined) this.catchUpFrom ??= this.lastStreamId;
      this.enqueue(async () => {
        await this.deps.subscriber.subscribe(this.deps.keys.bus, skips).catch((err: unknown) => this.deps.log.warn({ err }, 'bus re-subscribe failed'));
        await this.catchUp();
      });
    });
    this.tailTimer = setInterval(() => {
      if (this.connected) this.enqueue(() => (this.catchUpFrom === undefined ? this.repair() : this.catchUp()));
    }, this.options.tailRepairMs);
    this.tailTimer.unref();
    this.deps.publisher.on('ready', () => {
      void this.flush();
      // The subscriber may have come back first, while the stream could not be read.
      if (this.catchUpFrom !== undefined) this.enqueue(() => this.catchUp());
    });
    // Whatever reconnects us (an outage, a restart, a Sentinel failover) may have cost the last
    // acknowledged writes: check them before anything new goes out.
    this.deps.publisher.on('close', () => {
      this.mustVerify = true;
      this.deliverUnechoed();
    });
    const subscribed = this.deps.subscriber.subscribe(this.deps.keys.bus, skips);
    if (this.deps.subscriber.status !== 'ready') {
      // Redis is away: the subscription is queued and happens on connect.
      subscribed.catch((err: unknown) => this.deps.log.warn({ err }, 'bus subscribe failed'));
      return;
    }
    await subscribed;
    const [last] = (await this.deps.publisher.xrevrange(this.deps.keys.stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
    this.lastStreamId = last?.[0];
  }

  /** Reads the stream from before where the subscriber was cut (retried each tail round until it works). */
  private async catchUp(): Promise<void> {
    const from = this.catchUpFrom;
    if (from === undefined || !this.connected || this.closed) return;
    const lost = await positionLost(this.deps.publisher, this.deps.keys, from);
    await this.repair(undefined, streamIdBefore(from, this.options.lookbackMs));
    this.catchUpFrom = undefined;
    if (lost) await markStreamRewritten(this.deps.publisher, this.deps.keys);
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
    if (this.buffer.length === 0 && this.connected && !this.mustVerify) {
      try {
        await this.send({ frame, onceId: options.id, envelope });
        return;
      } catch (err) {
        this.deps.log.warn({ err }, 'bus publish failed, buffering');
      }
    }
    this.bufferFrame({ frame, onceId: options.id, envelope });
    // Redis is away: this node's own clients still get the event now; the echo is deduplicated.
    this.recent.add(envelope.id);
    this.originSeqs.set(envelope.origin, envelope.originSeq);
    this.dispatch(event, { origin: envelope.origin, ts: envelope.ts });
    if (this.connected) void this.flush();
  }

  /** Calls `listener` with the origin whenever a gap in its sequence could not be repaired. */
  onUnrepairableGap(listener: (origin: string) => void): void {
    this.gapListeners.add(listener);
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

  /**
   * One atomic XADD + PUBLISH; a fixed id already announced in the last ANNOUNCE_ONCE_MS is
   * skipped. What Redis acknowledged is remembered for {@link verifyAcknowledged}.
   */
  private async send(pending: Pending): Promise<void> {
    const once = this.deps.keys.announced(pending.onceId ?? '-');
    const streamId = await this.publisher.sbPublish(this.deps.keys.stream, this.deps.keys.bus, once, skipChannel(this.deps.keys), pending.frame, this.options.streamMaxLen, pending.onceId ? ANNOUNCE_ONCE_MS : '');
    if (streamId) this.acknowledged.add({ ...pending, streamId, at: Date.now() });
    // Its echo normally comes back within a millisecond (or already came, before the reply).
    if (streamId && !this.recent.has(pending.envelope.id)) {
      this.unechoed.set(pending.envelope.id, pending.envelope);
      if (this.unechoed.size > this.options.bufferLimit) this.unechoed.delete(this.unechoed.keys().next().value!);
    }
  }

  /**
   * The publisher lost Redis: what Redis acknowledged but whose echo has not come back may never
   * come back (the primary died, or a failover lost it before our subscriber had it). This node's
   * clients get it now, in order, before anything published during the outage is delivered
   * locally; an echo or re-publication later is a duplicate.
   */
  private deliverUnechoed(): void {
    for (const envelope of this.unechoed.values()) {
      if (!this.recent.add(envelope.id)) continue;
      this.originSeqs.set(envelope.origin, envelope.originSeq);
      const { kind, broadcast, data } = envelope;
      this.dispatch({ kind, broadcast, data } as ClusterEvent, { origin: envelope.origin, ts: envelope.ts });
    }
    this.unechoed.clear();
  }

  /**
   * After a reconnect: which of our recently acknowledged envelopes the stream no longer holds
   * (a failover lost them with the old primary's last writes), published again in their order,
   * unchanged (same id and originSeq), before anything newer. Receivers that had them drop them
   * as duplicates; the others get them, and the stream holds them again for resume and repair.
   * Replication keeps a prefix of the old primary's writes, so the lost ones are our last ones
   * and their announce-once keys went with them.
   */
  private async verifyAcknowledged(): Promise<void> {
    const recent = this.acknowledged.current();
    if (recent.length === 0) return;
    const lost = await missingFromStream(this.deps.publisher, this.deps.keys.stream, recent);
    if (lost.length === 0) return;
    this.acknowledged.remove(lost);
    this.deps.metrics.republished.inc(lost.length);
    this.deps.log.warn({ lost: lost.length, checked: recent.length, from: lost[0]!.streamId }, 'acknowledged envelopes missing from the stream after a reconnect (failover); publishing them again');
    for (const item of lost) await this.send(item);
    await markStreamRewritten(this.deps.publisher, this.deps.keys);
  }

  /** Where a failover lately rewrote the stream up to (see rebuildConnection). */
  async rewrittenBefore(): Promise<string | undefined> {
    return (await this.deps.publisher.get(this.deps.keys.streamRewritten)) ?? undefined;
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
      if (this.mustVerify) {
        await this.verifyAcknowledged();
        this.mustVerify = false;
      }
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

  /** A skip notice: the origin used this sequence number for an envelope announced before. */
  private onSkip(frame: string): void {
    const envelope = this.open(frame);
    if (!envelope) return;
    const last = this.originSeqs.get(envelope.origin);
    if (last !== undefined && envelope.originSeq === last + 1) this.originSeqs.set(envelope.origin, envelope.originSeq);
  }

  /** Verifies, validates and parses a signed frame; counts and returns undefined when it fails. */
  private open(frame: string): Envelope | undefined {
    const opened = openFrame(this.deps.secret, frame);
    if (typeof opened !== 'string') return opened;
    this.deps.metrics.dropped.inc({ reason: opened });
    return undefined;
  }

  private async receive(streamId: string, frame: string, repairing: boolean): Promise<void> {
    if (this.closed) return;
    const envelope = this.open(frame);
    if (!envelope) return;
    // A duplicate (read again by a lookback, or published again after a failover) says nothing
    // about the origin's sequence: it is dropped before the gap check.
    this.unechoed.delete(envelope.id);
    if (this.recent.has(envelope.id)) {
      this.advance(streamId, repairing);
      this.deps.metrics.dropped.inc({ reason: 'duplicate' });
      return;
    }
    const lastSeq = this.originSeqs.get(envelope.origin);
    if (!repairing && lastSeq !== undefined && envelope.originSeq > lastSeq + 1) {
      this.deps.metrics.gaps.inc();
      // From a little before this origin's last entry: a failover can leave the missing ones
      // with ids below our position.
      const originId = this.originIds.get(envelope.origin);
      const start = [this.lastStreamId, originId].filter((id): id is string => id !== undefined).sort(compareStreamIds)[0];
      await this.repair(streamId, start && streamIdBefore(start, this.options.lookbackMs));
      const after = this.originSeqs.get(envelope.origin) ?? 0;
      if (envelope.originSeq > after + 1) {
        this.deps.metrics.gapsUnrepaired.inc();
        this.deps.log.error({ origin: envelope.origin, expected: after + 1, got: envelope.originSeq }, 'bus gap could not be repaired');
        for (const listener of this.gapListeners) listener(envelope.origin);
      }
      if (this.recent.has(envelope.id)) return;
    }
    this.advance(streamId, repairing);
    // Live, a lower originSeq means the origin restarted (or published again what a failover
    // lost) and counts on from there; an older entry found by a repair never moves it back.
    this.originSeqs.set(envelope.origin, repairing && lastSeq !== undefined ? Math.max(lastSeq, envelope.originSeq) : envelope.originSeq);
    this.originIds.set(envelope.origin, streamId);
    this.recent.add(envelope.id);
    const { kind, broadcast, data } = envelope;
    this.dispatch({ kind, broadcast, data } as ClusterEvent, { origin: envelope.origin, ts: envelope.ts, streamId });
  }

  /** The stream position moves forward with live messages, and never back while repairing. */
  private advance(streamId: string, repairing: boolean): void {
    if (this.lastStreamId === undefined || compareStreamIds(streamId, this.lastStreamId) > 0 || !repairing) this.lastStreamId = streamId;
  }

  /**
   * Reads what the stream holds after `start` (our position by default) up to `before`
   * (exclusive) and delivers what we have not seen.
   */
  private async repair(before?: string, start?: string): Promise<void> {
    if (this.lastStreamId === undefined || this.closed) return;
    let from = start ?? this.lastStreamId;
    for (;;) {
      const entries = (await this.deps.publisher.xrange(this.deps.keys.stream, `(${from}`, before ? `(${before}` : '+', 'COUNT', this.options.repairBatch)) as Array<[string, string[]]>;
      for (const [streamId, fields] of entries) {
        this.deps.metrics.repaired.inc();
        await this.receive(streamId, fields[1] ?? '', true);
        from = streamId;
      }
      if (entries.length < this.options.repairBatch || this.closed) return;
    }
  }

  private dispatch(event: ClusterEvent, meta: EventMeta): void {
    this.deps.metrics.received.inc({ kind: event.kind });
    for (const handler of this.handlers) handler(event, meta);
  }
}
