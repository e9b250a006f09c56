import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './process.js';

/** A host:port on loopback. */
export interface Address {
  host: string;
  port: number;
}

/** Timing of the Sentinel set; short so a test's failover takes a few seconds. */
export interface SentinelSetOptions {
  /** The master name the Sentinels monitor. @default 'sb-primary' */
  masterName?: string;
  /** Sentinel `down-after-milliseconds`. @default 1000 */
  downAfterMs?: number;
  /** Sentinel `failover-timeout`. @default 3000 */
  failoverTimeoutMs?: number;
  /** How long each wait (start, failover, recovery) may take. @default 30000 */
  timeoutMs?: number;
}

/** What a failover changed. */
export interface Switch {
  from: Address;
  to: Address;
  /** ms from the trigger until every Sentinel named the new primary. */
  tookMs: number;
}

/**
 * A Redis primary, one replica and three Sentinels (quorum 2) on free loopback ports, with
 * persistence off and every file in one temporary folder.
 */
export interface SentinelSet {
  masterName: string;
  sentinels: Address[];
  /** The Sentinels as SB_REDIS_SENTINELS wants them: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  sentinelList: string;
  /** The primary every Sentinel names now (throws if they disagree). */
  primary(): Promise<Address>;
  /** A plain connection to the current primary (for inspecting keys); the caller disconnects it. */
  connectPrimary(): Promise<Redis>;
  /**
   * `SENTINEL FAILOVER`: waits until every Sentinel names the replica as primary and it answers
   * as one, then until the old primary has been turned into its replica and caught up, so a
   * next failover has a replica to promote.
   */
  failover(): Promise<Switch>;
  /**
   * SIGKILLs the primary: waits until the Sentinels agree it is down and have promoted the
   * replica; then starts the killed one again on its port (empty) and waits until it is the new
   * primary's replica, so the set is whole again.
   */
  killPrimary(): Promise<Switch>;
  /** Kills every process and deletes the folder. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs one command on a short-lived connection; rejects if the server does not answer. */
async function ask<T>(address: Address, command: string, ...args: Array<string | number>): Promise<T> {
  const redis = new Redis({ host: address.host, port: address.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1_000, commandTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.call(command, ...args)) as T;
  } finally {
    redis.disconnect();
  }
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(`sentinel set: ${what} within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/**
 * Starts the set (Debian's `redis-server`, Sentinels as `redis-server FILE --sentinel`) and
 * waits until the replica is in sync and all three Sentinels know the primary, the replica and
 * each other.
 * @example const set = await startSentinelSet(); // SB_REDIS_SENTINELS=set.sentinelList SB_REDIS_SENTINEL_MASTER=set.masterName
 */
export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const masterName = options.masterName ?? 'sb-primary';
  const downAfterMs = options.downAfterMs ?? 1_000;
  const failoverTimeoutMs = options.failoverTimeoutMs ?? 3_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'sb-sentinel-'));
  const children = new Set<ChildProcess>();
  const servers = new Map<number, ChildProcess>();

  const run = (args: string[]): ChildProcess => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };
  const startServer = (port: number, replicaOf?: Address) => {
    const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', `dump-${port}.rdb`];
    if (replicaOf) args.push('--replicaof', replicaOf.host, String(replicaOf.port));
    servers.set(port, run(args));
  };
  const killServer = async (port: number) => {
    const child = servers.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  };

  const stop = async () => {
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [primaryPort, replicaPort, ...sentinelPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const first: Address = { host: HOST, port: primaryPort! };
    startServer(primaryPort!);
    await until('the primary answers', timeoutMs, async () => ((await ask<string>(first, 'PING')) === 'PONG' ? true : undefined));
    startServer(replicaPort!, first);
    await until('the replica is in sync', timeoutMs, async () =>
      infoField(await ask<string>({ host: HOST, port: replicaPort! }, 'INFO', 'replication'), 'master_link_status') === 'up' ? true : undefined,
    );
    const sentinels: Address[] = sentinelPorts.map((port) => ({ host: HOST, port }));
    for (const sentinel of sentinels) {
      const file = join(dir, `sentinel-${sentinel.port}.conf`);
      writeFileSync(
        file,
        [
          `port ${sentinel.port}`,
          `bind ${HOST}`,
          `dir ${dir}`,
          `sentinel monitor ${masterName} ${HOST} ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
          `sentinel failover-timeout ${masterName} ${failoverTimeoutMs}`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      run([file, '--sentinel']);
    }

    /** Every Sentinel's view of the master: address, flags, replicas and other Sentinels known. */
    const views = () =>
      Promise.all(
        sentinels.map(async (sentinel) => {
          const flat = await ask<string[]>(sentinel, 'SENTINEL', 'MASTER', masterName);
          const view: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) view[flat[i]!] = flat[i + 1]!;
          return view;
        }),
      );
    const agreedPrimary = async (): Promise<Address | undefined> => {
      const all = await views();
      const ports = new Set(all.map((view) => view.port));
      if (ports.size !== 1 || all.some((view) => view.flags !== 'master')) return undefined;
      return { host: all[0]!.ip!, port: Number(all[0]!.port) };
    };
    /** The set is whole: one primary all agree on, answering as primary with an in-sync replica, and every Sentinel sees it all. */
    const whole = async (): Promise<Address | undefined> => {
      const primary = await agreedPrimary();
      if (!primary) return undefined;
      const all = await views();
      if (all.some((view) => Number(view['num-other-sentinels']) < 2 || Number(view['num-slaves']) < 1)) return undefined;
      const info = await ask<string>(primary, 'INFO', 'replication');
      if (infoField(info, 'role') !== 'master') return undefined;
      const replica = /^slave\d+:ip=([^,]+),port=(\d+),state=online/m.exec(info);
      if (!replica) return undefined;
      // Every Sentinel must see that replica as a healthy one, or it has nothing to promote.
      const replicaSeen = await Promise.all(
        sentinels.map(async (sentinel) => {
          const list = await ask<string[][]>(sentinel, 'SENTINEL', 'REPLICAS', masterName);
          return list.some((flat) => {
            const view: Record<string, string> = {};
            for (let i = 0; i + 1 < flat.length; i += 2) view[flat[i]!] = flat[i + 1]!;
            return view.port === replica[2] && view.flags === 'slave' && view['master-link-status'] === 'ok';
          });
        }),
      );
      return replicaSeen.every(Boolean) ? primary : undefined;
    };
    await until('all three Sentinels agree on the primary, its replica and each other', timeoutMs, whole);

    /** The primary all agree on answers as one and streams to an in-sync replica. */
    const replicated = async (): Promise<Address | undefined> => {
      const primary = await agreedPrimary();
      if (!primary) return undefined;
      const info = await ask<string>(primary, 'INFO', 'replication');
      return infoField(info, 'role') === 'master' && /^slave\d+:ip=[^,]+,port=\d+,state=online/m.test(info) ? primary : undefined;
    };
    /** Sentinels may promote the replica: each lists it, not down. */
    const promotable = async (): Promise<Address | undefined> => {
      const primary = await replicated();
      if (!primary) return undefined;
      const seen = await Promise.all(sentinels.map(async (sentinel) => (await ask<string[][]>(sentinel, 'SENTINEL', 'REPLICAS', masterName)).some((flat) => flat[flat.indexOf('flags') + 1] === 'slave')));
      return seen.every(Boolean) ? primary : undefined;
    };

    const switchedFrom = async (from: Address, started: number): Promise<Switch> => {
      const to = await until('the Sentinels promote a new primary', timeoutMs, async () => {
        const primary = await agreedPrimary();
        if (!primary || primary.port === from.port) return undefined;
        return infoField(await ask<string>(primary, 'INFO', 'replication'), 'role') === 'master' ? primary : undefined;
      });
      return { from, to, tookMs: Date.now() - started };
    };

    return {
      masterName,
      sentinels,
      sentinelList: sentinels.map((s) => `${s.host}:${s.port}`).join(','),
      async primary() {
        const primary = await agreedPrimary();
        if (!primary) throw new Error('sentinel set: the Sentinels do not agree on a primary');
        return primary;
      },
      async connectPrimary() {
        const primary = await agreedPrimary();
        if (!primary) throw new Error('sentinel set: the Sentinels do not agree on a primary');
        const redis = new Redis({ host: primary.host, port: primary.port, maxRetriesPerRequest: 1 });
        redis.on('error', () => {});
        return redis;
      },
      async failover() {
        const from = await until('a primary with an in-sync replica before the failover', timeoutMs, promotable);
        const started = Date.now();
        await until('SENTINEL FAILOVER accepted', timeoutMs, async () => ((await ask<string>(sentinels[0]!, 'SENTINEL', 'FAILOVER', masterName)) === 'OK' ? true : undefined));
        const result = await switchedFrom(from, started);
        // Sentinel turns a demoted primary that is still up into a replica only after a grace of
        // about 8 s (4 hello periods); do at once what it would do, so the next failover has a replica.
        await ask(from, 'REPLICAOF', result.to.host, result.to.port);
        await until('the old primary replicates from the new one', timeoutMs, replicated);
        return result;
      },
      async killPrimary() {
        const from = await until('a primary with an in-sync replica before the kill', timeoutMs, promotable);
        const started = Date.now();
        await killServer(from.port);
        const result = await switchedFrom(from, started);
        startServer(from.port, result.to);
        await until('the restarted server replicates from the new primary', timeoutMs, replicated);
        return result;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
