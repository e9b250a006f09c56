import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { newId } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { freePort } from './process.js';

/** The Redis tests use: SB_TEST_REDIS_URL, or the local one on its standard port. */
export const TEST_REDIS_URL = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A cluster name no other test uses, so keys never collide between files running in parallel.
 * @example const keys = clusterKeys(uniqueCluster());
 */
export function uniqueCluster(): string {
  return `t${newId()}`;
}

/**
 * A connected command client configured like a node's (no offline queue, one retry per
 * request), so tests see outages the way the node does. Callers disconnect it.
 */
export async function connectTestRedis(url = TEST_REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}

/** Deletes every key of a cluster (`sb:<cluster>:*`); returns how many went. */
export async function cleanupCluster(redis: Redis, cluster: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `sb:${cluster}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * @example await waitFor(() => lease.isLeader || undefined, 5_000);
 */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, stepMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** A throwaway redis-server of a test's own, for tests that stop and restart Redis. */
export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: nothing is saved, as configured) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it accepts connections. */
  restart(): Promise<void>;
}

/**
 * Starts `redis-server --port <free> --save '' --appendonly no` and waits until it accepts
 * connections. The caller must `kill()` it.
 * @example const own = await startOwnRedis(); try { ... } finally { await own.kill(); }
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(() => new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    }), 10_000);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
    restart: launch,
  };
}
