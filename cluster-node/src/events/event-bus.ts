import type { ClusterEvent } from '@switchboard/shared';
import { RecentIds } from '../cluster/dedupe.js';

/** Where an event came from: its origin node, origin time and (on Redis) its stream position. */
export interface EventMeta {
  origin: string;
  /** Origin's Redis-corrected clock, epoch ms. */
  ts: number;
  /** Position in the cluster event stream; absent for in-process delivery. */
  streamId?: string;
}

/** Options of {@link EventBus.publish}. */
export interface PublishOptions {
  /** A deterministic envelope id (26 characters, like every id). @default a new random id */
  id?: string;
}

/** Receives every event on the bus, the node's own included, in bus order. */
export type EventHandler = (event: ClusterEvent, meta: EventMeta) => void;

/**
 * How a node publishes and receives cluster events. Standalone nodes use {@link LocalEventBus};
 * clustered nodes use the Redis bus behind the same interface. Every event a node delivers to
 * its sockets comes back through `subscribe`, its own included, so all nodes see one order.
 */
export interface EventBus {
  /**
   * Publishes an event; resolves once the bus has accepted it. `options.id` fixes the envelope
   * id, so publishing the same fact twice (a retried request after a crash) is delivered once:
   * receivers drop envelope ids they have seen.
   */
  publish(event: ClusterEvent, options?: PublishOptions): Promise<void>;
  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: EventHandler): () => void;
  close(): Promise<void>;
}

/**
 * The in-process bus of a standalone node: events reach handlers in publish order, on a later
 * microtask, as they would come back from Redis.
 */
export class LocalEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();
  private readonly recent = new RecentIds(20_000);

  constructor(private readonly nodeId = 'local') {}

  async publish(event: ClusterEvent, options: PublishOptions = {}): Promise<void> {
    if (options.id !== undefined && !this.recent.add(options.id)) return;
    const meta: EventMeta = { origin: this.nodeId, ts: Date.now() };
    queueMicrotask(() => {
      for (const handler of this.handlers) handler(event, meta);
    });
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
