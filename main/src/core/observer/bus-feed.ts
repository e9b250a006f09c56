import { parseBusMessage, type ClusterKeys, type EventRates, type ObservedEvent } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { EventRateMeter } from './event-rates.js';
import { toObservedEvent } from './event-reader.js';

/** Most bus events carried by one live update; the rest are counted as dropped. @default 100 */
export const OBSERVER_EVENTS_PER_UPDATE = 100;

/** What a {@link BusFeed} needs. */
export interface BusFeedDeps {
  /** A connection of its own: it stays in subscribe mode. */
  subscriber: Redis;
  keys: ClusterKeys;
  /** The cluster secret, to verify envelopes; without it they are shown unverified. */
  secret?: string;
  /** Epoch ms, for the rate window. */
  now: () => number;
  /** Told after every message, so the observer schedules an update. */
  onActivity: () => void;
  /** Events carried per update. @default OBSERVER_EVENTS_PER_UPDATE (100) */
  eventsPerUpdate?: number;
}

/**
 * The observer's ear on the bus channel: counts every event by kind for the rates, and keeps the
 * events since the last update (bounded) for the live feed. Messages that are not envelopes are
 * counted as malformed, never thrown. ioredis re-subscribes by itself after a reconnect.
 */
export class BusFeed {
  private readonly meter = new EventRateMeter();
  private readonly cap: number;
  private pending: ObservedEvent[] = [];
  private dropped = 0;
  private malformedCount = 0;
  private readonly onMessage = (_channel: string, message: string) => this.receive(message);
  private readonly onReady = () => this.subscribe();

  constructor(private readonly deps: BusFeedDeps) {
    this.cap = deps.eventsPerUpdate ?? OBSERVER_EVENTS_PER_UPDATE;
  }

  /**
   * Subscribes now if the connection is ready, and again after every (re)connect: the connection
   * is opened without ioredis's auto-resubscribe (see openRedis). Never throws for Redis.
   */
  start(): void {
    this.deps.subscriber.on('message', this.onMessage);
    this.deps.subscriber.on('ready', this.onReady);
    if (this.deps.subscriber.status === 'ready') this.subscribe();
  }

  /** Stops listening (the connection itself is the observer's to close). */
  stop(): void {
    this.deps.subscriber.off('message', this.onMessage);
    this.deps.subscriber.off('ready', this.onReady);
  }

  private subscribe(): void {
    this.deps.subscriber.subscribe(this.deps.keys.bus).catch(() => {
      // A connection lost again at once: the next 'ready' subscribes again.
    });
  }

  /** Events per second over the rate window. */
  rates(): EventRates {
    return this.meter.rates(this.deps.now());
  }

  /** Messages that were not well-formed envelopes, since start. */
  get malformed(): number {
    return this.malformedCount;
  }

  /** Hands over the events since the previous call (oldest first) and how many did not fit. */
  take(): { events: ObservedEvent[]; dropped: number } {
    const out = { events: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    return out;
  }

  /** Forgets rates and pending events (after an outage they mean nothing). */
  reset(): void {
    this.meter.reset();
    this.pending = [];
    this.dropped = 0;
  }

  private receive(message: string): void {
    const parts = parseBusMessage(message);
    const kind = parts && (this.pending.length < this.cap ? this.keep(parts.streamId, parts.frame) : this.skip(parts.frame));
    if (kind === undefined) {
      this.malformedCount += 1;
      return;
    }
    this.meter.add(kind, this.deps.now());
    this.deps.onActivity();
  }

  /** Opens the whole envelope into the pending list; returns its kind. */
  private keep(streamId: string, frame: string): string | undefined {
    const event = toObservedEvent(streamId, frame, this.deps.secret);
    if (event) this.pending.push(event);
    return event?.kind;
  }

  /** Only the kind, cheaply, for events past the cap (a busy bus must not cost a full parse each). */
  private skip(frame: string): string | undefined {
    const kind = kindOf(frame);
    if (kind !== undefined) this.dropped += 1;
    return kind;
  }
}

function kindOf(frame: string): string | undefined {
  try {
    const kind = (JSON.parse(frame.slice(frame.indexOf('.') + 1)) as { kind?: unknown }).kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined;
  }
}
