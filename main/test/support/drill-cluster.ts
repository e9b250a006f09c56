import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterProfileSchema, type ClusterProfile } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { freePort } from '../../../cluster-node/test/support/process.js';
import { startHaproxy, type HaproxyProcess } from '../../src/core/drills/index.js';
import { quoteCommand } from '../../src/core/hosts/index.js';

/**
 * A local three-node cluster for drills, every part of it real and private to the test:
 * redis-server (daemonized on a free port, append-only file on, so the restart-redis drill can
 * stop and start it with commands), a Postgres cluster of its own (initdb'd on a free port as
 * `.ci/run` does, under `runuser -u postgres` when root, so restart-postgres can restart it),
 * nodes started through nodectl (so the drill kills, drains and starts them as on a host), and
 * Debian's HAProxy in front with the generated config. `profile` is what a drill runs against.
 */
export interface DrillCluster {
  profile: ClusterProfile;
  /** Node id -> http://127.0.0.1:PORT. */
  nodes: Record<string, string>;
  nodectlConfig: string;
  haproxy: HaproxyProcess;
  redisUrl: string;
  databaseUrl: string;
  dir: string;
  /** Runs nodectl (`list`, `start n1`…) against the cluster's host config. */
  nodectl(args: string[]): Promise<{ code: number | null; json: unknown }>;
  stop(): Promise<void>;
}

/** The built nodectl bin of this checkout. */
export const NODECTL_BIN = fileURLToPath(new URL('../../../cluster-node/bin/nodectl.js', import.meta.url));

const IS_ROOT = userInfo().uid === 0;

/** The newest Debian Postgres bin directory. */
function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  const bin = versions.length > 0 ? join(base, versions[versions.length - 1]!, 'bin') : '';
  if (!bin || !existsSync(join(bin, 'initdb'))) throw new Error('Postgres binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)');
  return bin;
}

/** `argv` as the postgres user when we are root (Postgres refuses to run as root). */
function asPostgres(argv: string[]): string[] {
  return IS_ROOT ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
}

function run(argv: string[], timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

async function must(argv: string[], what: string): Promise<void> {
  const result = await run(argv);
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}): ${result.stderr || result.stdout}`);
}

async function waitFor(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}

/** Options of {@link startDrillCluster}. */
export interface DrillClusterOptions {
  /** @default 3 */
  count?: number;
  /** Extra SB_* variables for every node (SB_LEADER_TTL_MS…). */
  nodeEnv?: Record<string, string>;
}

/**
 * Starts the whole cluster; `stop()` tears it down in reverse (also when start-up fails half way).
 * @example const cluster = await startDrillCluster(); await service.start('kill-leader', cluster.profile);
 */
export async function startDrillCluster(options: DrillClusterOptions = {}): Promise<DrillCluster> {
  const steps: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of steps.reverse()) await step().catch(() => undefined);
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-drill-'));
    steps.push(async () => rmSync(dir, { recursive: true, force: true }));

    // Redis, daemonized so drill commands can stop and start it.
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const redisStart = ['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', dir, '--pidfile', join(dir, 'redis.pid'), '--logfile', join(dir, 'redis.log'), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'];
    const redisStop = ['redis-cli', '-p', String(redisPort), 'shutdown'];
    await must(redisStart, 'redis-server start');
    steps.push(async () => void (await run(['redis-cli', '-p', String(redisPort), 'shutdown', 'nosave'])));
    await waitFor(() => redisAnswers(redisUrl), 10_000, 'redis-server');

    // Postgres of our own on a free port.
    const bin = postgresBin();
    const pgDir = join(dir, 'pg');
    await must(['mkdir', '-p', pgDir], 'mkdir');
    if (IS_ROOT) {
      const uid = Number((await run(['id', '-u', 'postgres'])).stdout.trim());
      const gid = Number((await run(['id', '-g', 'postgres'])).stdout.trim());
      chownSync(dir, uid, gid);
      chownSync(pgDir, uid, gid);
    }
    const pgPort = await freePort();
    const data = join(pgDir, 'data');
    await must(asPostgres([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']), 'initdb');
    const pgCtl = (verb: string) => asPostgres([join(bin, 'pg_ctl'), '-D', data, '-l', join(pgDir, 'postgres.log'), '-w', '-t', '60', '-m', 'fast', ...(verb === 'start' ? ['-o', `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off`] : []), verb]);
    await must(pgCtl('start'), 'pg_ctl start');
    steps.push(async () => void (await run(asPostgres([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']))));
    const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;

    // Nodes through nodectl.
    const count = options.count ?? 3;
    const ids = Array.from({ length: count }, (_, i) => `n${i + 1}`);
    const ports = await Promise.all(ids.map(() => freePort()));
    const cluster = `drill${Math.random().toString(36).slice(2, 8)}`;
    const shared = { SB_DATABASE_URL: databaseUrl, SB_REDIS_URL: redisUrl, SB_CLUSTER: cluster, SB_CLUSTER_SECRET: 'drill-test-cluster-secret-0123456789', SB_DRAIN_MS: '1000', SB_LOG_LEVEL: 'warn', SB_RATE_LIMIT_PER_IP: '10000', ...options.nodeEnv };
    const nodectlConfig = join(dir, 'nodectl.json');
    writeFileSync(nodectlConfig, JSON.stringify({ runDir: join(dir, 'run'), env: shared, nodes: Object.fromEntries(ids.map((id, i) => [id, { env: { SB_LISTEN: `127.0.0.1:${ports[i]}` } }])) }, null, 2));
    const nodectl = (args: string[]) =>
      new Promise<{ code: number | null; json: unknown }>((resolve) => {
        const child = spawn(process.execPath, [NODECTL_BIN, ...args, '--json', '--config', nodectlConfig], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'ignore'] });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.once('close', (code) => {
          let json: unknown = null;
          try {
            json = JSON.parse(stdout);
          } catch {
            json = stdout;
          }
          resolve({ code, json });
        });
      });
    steps.push(async () => void (await Promise.all(ids.map((id) => nodectl(['kill', id])))));
    // One first (it migrates), then the others.
    for (const batch of [ids.slice(0, 1), ids.slice(1)]) {
      const started = await Promise.all(batch.map((id) => nodectl(['start', id])));
      started.forEach((result, i) => {
        if (result.code !== 0) throw new Error(`nodectl start ${batch[i]} exited ${result.code}: ${JSON.stringify(result.json)}`);
      });
    }
    const nodes = Object.fromEntries(ids.map((id, i) => [id, `http://127.0.0.1:${ports[i]}`]));

    const haproxy = await startHaproxy(ids.map((id, i) => ({ name: id, address: `127.0.0.1:${ports[i]}` })));
    steps.push(() => haproxy.close());

    const profile = clusterProfileSchema.parse({
      name: 'drill-test',
      cluster,
      redis: { url: redisUrl },
      postgres: { url: databaseUrl },
      apiUrl: haproxy.url,
      hosts: [{ name: 'localhost', local: true, nodectl: { command: quoteCommand([process.execPath, NODECTL_BIN]), config: nodectlConfig }, nodes: ids }],
      services: {
        redis: { host: 'localhost', stop: redisStop, start: redisStart, timeoutMs: 30_000 },
        postgres: { host: 'localhost', restart: pgCtl('restart'), timeoutMs: 60_000 },
      },
    });
    return { profile, nodes, nodectlConfig, haproxy, redisUrl, databaseUrl, dir, nodectl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
