import type { ClusterProfile } from '@switchboard/shared';
import { Redis, type RedisOptions } from 'ioredis';

/** How long one connection attempt may take, ms. @default 2000 */
export const OBSERVER_CONNECT_TIMEOUT_MS = 2_000;

/** How long one command may take before it fails (a hung Redis reads as unreachable), ms. @default 2000 */
export const OBSERVER_COMMAND_TIMEOUT_MS = 2_000;

/** How long a closed connection may wait for the server's side of the goodbye before it is destroyed, ms. @default 200 */
export const OBSERVER_DISCONNECT_TIMEOUT_MS = 200;

/** Longest wait between reconnection attempts; they back off exponentially up to it, ms. @default 5000 */
export const OBSERVER_MAX_BACKOFF_MS = 5_000;

/** Where the observer finds Redis: one URL, or a Sentinel set and the master's name. */
export type RedisTarget =
  | { url: string; password?: string }
  | { sentinels: Array<{ host: string; port: number }>; masterName: string; password?: string };

/**
 * The Redis target of a profile; `password` is the value of the profile's `passwordSecret`,
 * resolved by the caller (profiles only name secrets).
 * @example const target = redisTargetFromProfile(profile, await secrets.get(profile.redis.passwordSecret));
 */
export function redisTargetFromProfile(profile: Pick<ClusterProfile, 'redis'>, password?: string): RedisTarget {
  const redis = profile.redis;
  const secret = password === undefined ? {} : { password };
  if ('url' in redis) return { url: redis.url, ...secret };
  return { sentinels: redis.sentinels.map(({ host, port }) => ({ host, port })), masterName: redis.masterName, ...secret };
}

/**
 * Reconnect delay for attempt `times`: exponential from 100 ms up to
 * {@link OBSERVER_MAX_BACKOFF_MS}, with up to 20 % jitter.
 * @example observerReconnectDelay(1) // 200..240
 */
export function observerReconnectDelay(times: number): number {
  const base = Math.min(100 * 2 ** Math.min(times, 10), OBSERVER_MAX_BACKOFF_MS);
  return base + Math.floor(Math.random() * base * 0.2);
}

/**
 * Opens (lazily: call `connect()`) one connection to the target. `commands` connections fail
 * fast while Redis is away (no offline queue, a command timeout), so the observer sees an outage
 * at once; `subscriber` connections queue commands and do NOT re-subscribe by themselves: their
 * owner subscribes on every 'ready' (see BusFeed).
 * Both reconnect by themselves with backoff. Errors surface through commands and `status`.
 */
export function openRedis(target: RedisTarget, role: 'commands' | 'subscriber', name: string): Redis {
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: OBSERVER_CONNECT_TIMEOUT_MS,
    // A server that stopped answering never ends its side: do not keep its socket for long after close.
    disconnectTimeout: OBSERVER_DISCONNECT_TIMEOUT_MS,
    retryStrategy: observerReconnectDelay,
    connectionName: name,
    ...(role === 'commands'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: OBSERVER_COMMAND_TIMEOUT_MS }
      : // ioredis's own re-subscription after a reconnect leaves its promise unhandled (a connection
        // lost again at once becomes an unhandled rejection); the subscriber's owner re-subscribes on 'ready'.
        { enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: false }),
  };
  const redis =
    'url' in target
      ? new Redis(target.url, { ...common, ...(target.password === undefined ? {} : { password: target.password }) })
      : new Redis({
          ...common,
          sentinels: target.sentinels,
          name: target.masterName,
          sentinelRetryStrategy: observerReconnectDelay,
          // Follow a failover at once (+switch-master on the Sentinels): a demoted primary that is
          // still up stays writable with stale data until Sentinel reconfigures it (~8 s later).
          failoverDetector: true,
          // A connection that still reaches a primary turned replica asks the Sentinels again.
          reconnectOnError: (err: Error) => (/^READONLY\b/.test(err.message) ? 1 : false),
          ...(target.password === undefined ? {} : { password: target.password }),
        });
  // An unhandled 'error' event would crash the process; failures show in commands and `status`.
  redis.on('error', () => {});
  return redis;
}

/**
 * Resolves when the connection is ready, has failed this attempt, or after `timeoutMs` (a server
 * that accepts but never answers must not hold a caller forever). Never rejects.
 * @example if (redis.status === 'connecting') await untilReadyOrFailed(redis);
 */
export function untilReadyOrFailed(redis: Redis, timeoutMs = OBSERVER_CONNECT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      redis.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
    redis.once('error', done);
    redis.once('close', done);
  });
}
