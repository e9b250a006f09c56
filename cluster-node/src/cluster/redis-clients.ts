import { Redis, type RedisOptions } from 'ioredis';

/**
 * Longest wait between reconnection attempts; attempts back off exponentially up to it, with
 * jitter so a cluster of nodes does not reconnect in lockstep.
 * @default 2000
 */
export const REDIS_MAX_BACKOFF_MS = 2_000;

/** Reconnect delay for attempt `times`: exponential from 100 ms, capped, plus up to 250 ms jitter. */
export function reconnectDelay(times: number): number {
  return Math.min(100 * 2 ** Math.min(times, 5), REDIS_MAX_BACKOFF_MS) + Math.floor(Math.random() * 250);
}

/** The node's two Redis connections: commands (fail fast while down) and the subscriber. */
export interface RedisClients {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

/**
 * Opens the connections lazily (call `connect()` on each). Commands do not queue while Redis
 * is unreachable, so callers see the outage at once and can buffer or degrade; the subscriber
 * queues its SUBSCRIBE and re-subscribes after every reconnect.
 */
export function createRedisClients(url: string, name: string): RedisClients {
  const common: RedisOptions = { lazyConnect: true, connectTimeout: 2_000, retryStrategy: reconnectDelay, connectionName: name };
  const commands = new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // The bus re-subscribes itself on every ready (ioredis's own auto-resubscribe leaves its promise unhandled).
  const subscriber = new Redis(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: false });
  // Errors surface through failed commands and `status`; an unhandled 'error' would crash the node.
  commands.on('error', () => {});
  subscriber.on('error', () => {});
  return {
    commands,
    subscriber,
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
