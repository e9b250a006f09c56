import type { NodeRedisTarget } from '@switchboard/shared';
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

/**
 * Whether a command error means this connection talks to a server that is no longer the primary
 * (`READONLY` from a demoted primary after a Sentinel failover): ioredis then drops the
 * connection and reconnects, which asks the Sentinels for the primary again. The failed command
 * itself still fails (its caller buffers or retries).
 * @example reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica.")) // 1
 */
export function reconnectOnReadOnly(err: Error): 1 | false {
  return /^READONLY\b/.test(err.message) ? 1 : false;
}

/** The ioredis options that reach Redis through a target: one URL, or the Sentinels. */
export function targetOptions(target: NodeRedisTarget): RedisOptions {
  if ('url' in target) return {};
  return {
    sentinels: target.sentinels,
    name: target.masterName,
    ...(target.password === undefined ? {} : { password: target.password }),
    // Ask the Sentinels again with the same backoff while none answers.
    sentinelRetryStrategy: reconnectDelay,
    // Subscribe to +switch-master on the Sentinels and reconnect at once on a failover, instead of
    // writing to the demoted primary until it is reconfigured (Sentinel waits ~8 s before that).
    failoverDetector: true,
  };
}

/** The node's two Redis connections: commands (fail fast while down) and the subscriber. */
export interface RedisClients {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

/**
 * Opens the connections lazily (call `connect()` on each), to one URL or through Sentinel (then
 * each connection follows a failover to the new primary). Commands do not queue while Redis
 * is unreachable, so callers see the outage at once and can buffer or degrade; the subscriber
 * queues its SUBSCRIBE and re-subscribes after every reconnect.
 */
export function createRedisClients(target: NodeRedisTarget, name: string): RedisClients {
  const common: RedisOptions = { lazyConnect: true, connectTimeout: 2_000, retryStrategy: reconnectDelay, connectionName: name, reconnectOnError: reconnectOnReadOnly, ...targetOptions(target) };
  const open = (options: RedisOptions) => ('url' in target ? new Redis(target.url, { ...common, ...options }) : new Redis({ ...common, ...options }));
  const commands = open({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // The bus re-subscribes itself on every ready (ioredis's own auto-resubscribe leaves its promise unhandled).
  const subscriber = open({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: false });
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
