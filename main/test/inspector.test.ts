import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError, newId, postgresHealthSchema } from '@switchboard/shared';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests may use the node's test support (a real node over its own database); the product code may not.
import { startTestNode, type TestNode } from '../../cluster-node/test/support/node.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { PostgresInspector } from '../src/core/inspector/inspector.js';
import { apiRequest, ensureProbeFixtures } from '../src/core/observer/probe-fixtures.js';
import { leakedSince, openHandles } from './support/open-handles.js';

const log = pino({ level: 'silent' });
const baseline = openHandles();

afterAll(async () => {
  // Every connection, socket, timer and child process the suite opened is closed again.
  expect(await leakedSince(baseline)).toEqual({});
});
const PROBE_PASSWORD = 'probe-password-123';

/** The thrown value of a promise expected to reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('PostgresInspector against a node database', () => {
  let t: TestNode;
  let inspector: PostgresInspector;
  let client: pg.Client;

  beforeAll(async () => {
    t = await startTestNode();
    await t.user('alice');
    await t.user('bob');
    inspector = new PostgresInspector({ url: t.databaseUrl, log, longRunningThresholdMs: 300 });
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await inspector?.close();
    await client?.end();
    await t?.stop();
  });

  it('reports version, size, connections and exact row counts of small tables', async () => {
    const health = await inspector.health();
    expect(postgresHealthSchema.parse(health)).toEqual(health);
    if (!health.reachable) throw new Error('expected reachable');
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    expect(health.version).toBe(rows[0]!.server_version);
    expect(health.role).toBe('primary');
    expect(health.databaseSizeBytes).toBeGreaterThan(1_000_000);
    expect(health.connections.total).toBeGreaterThanOrEqual(2);
    expect(Object.values(health.connections.byState).reduce((a, b) => a + b, 0)).toBe(health.connections.total);
    expect(health.connections.max).toBeGreaterThan(0);
    expect(health.rowCounts.users).toEqual({ count: 2, exact: true });
    expect(health.rowCounts.sessions).toEqual({ count: 2, exact: true });
    expect(health.rowCounts.posts).toEqual({ count: 0, exact: true });
    expect(health.replication).toEqual([]);
  });

  it('uses the planner estimate for tables at or above the exact-count threshold, and says so', async () => {
    await client.query('ANALYZE users');
    const estimating = new PostgresInspector({ url: t.databaseUrl, log, exactCountBelow: 2 });
    try {
      const health = await estimating.health();
      if (!health.reachable) throw new Error('expected reachable');
      expect(health.rowCounts.users).toEqual({ count: 2, exact: false });
      // Never analysed and nearly empty: the statistics say 0, so it is counted exactly.
      expect(health.rowCounts.teams).toEqual({ count: 0, exact: true });
    } finally {
      await estimating.close();
    }
  });

  it('lists queries running past the threshold, their text cut to 200 characters', async () => {
    const sleeper = new pg.Client({ connectionString: t.databaseUrl });
    await sleeper.connect();
    try {
      const sleeping = sleeper.query(`SELECT pg_sleep(1.5) /* ${'x'.repeat(300)} */`);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const health = await inspector.health();
      if (!health.reachable) throw new Error('expected reachable');
      const slow = health.longRunning.find((query) => query.query.startsWith('SELECT pg_sleep(1.5)'));
      expect(slow).toBeDefined();
      expect(slow!.query).toHaveLength(200);
      expect(slow!.state).toBe('active');
      expect(slow!.durationMs).toBeGreaterThanOrEqual(300);
      expect(slow!.durationMs).toBeLessThan(1_500);
      await sleeping;
      const after = await inspector.health();
      expect(after.reachable && after.longRunning.some((query) => query.query.startsWith('SELECT pg_sleep(1.5)'))).toBe(false);
    } finally {
      await sleeper.end();
    }
  });

  it('looks up usernames by id, leaving unknown ids out, and refuses what is not an id', async () => {
    const { rows } = await client.query<{ id: string; username: string }>('SELECT id, username FROM users ORDER BY username');
    const found = await inspector.lookupUsers([...rows.map((row) => row.id), newId()]);
    expect(found.sort((a, b) => a.username.localeCompare(b.username))).toEqual(rows);
    expect(await inspector.lookupUsers([])).toEqual([]);
    const refused = await rejection(inspector.lookupUsers(["x' OR 1=1 --"]));
    expect(isSwitchboardError(refused) && refused.id).toBe('console.invalid_argument');
  });

  it('checks that every probe post is in the database exactly once', async () => {
    const before = await inspector.consistencyCheck(['switchboard-probe never-made']);
    expect(before).toEqual({ expected: 1, found: 0, missing: ['switchboard-probe never-made'], duplicated: [], channelId: null });

    const fixtures = await ensureProbeFixtures(t.url, { password: PROBE_PASSWORD });
    const messages = ['switchboard-probe a', 'switchboard-probe b', 'switchboard-probe c'];
    for (const message of messages) {
      const reply = await apiRequest(t.url, 'POST', '/posts', fixtures.token, { channel_id: fixtures.channelId, message });
      expect(reply.status).toBe(201);
    }
    const clean = await inspector.consistencyCheck([...messages, messages[0]!, 'switchboard-probe lost']);
    expect(clean).toEqual({ expected: 4, found: 3, missing: ['switchboard-probe lost'], duplicated: [], channelId: fixtures.channelId });

    // The same message stored twice (a retried create that was not deduplicated) must show.
    await client.query(
      `INSERT INTO posts (id, create_at, update_at, user_id, channel_id, message)
       SELECT $1, create_at, update_at, user_id, channel_id, message FROM posts WHERE message = $2`,
      [newId(), messages[1]],
    );
    const duplicated = await inspector.consistencyCheck(messages);
    expect(duplicated.duplicated).toEqual([{ message: 'switchboard-probe b', count: 2 }]);
    expect(duplicated.missing).toEqual([]);

    const refused = await rejection(inspector.consistencyCheck([42 as unknown as string]));
    expect(isSwitchboardError(refused) && refused.id).toBe('console.invalid_argument');
  });
});

describe('PostgresInspector when Postgres is not there or refuses', () => {
  it('reports a closed port as unreachable without throwing, and throws it from lookups', async () => {
    const port = await freePort();
    const inspector = new PostgresInspector({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, log, connectTimeoutMs: 1_000 });
    try {
      const started = Date.now();
      const health = await inspector.health();
      expect(health.reachable).toBe(false);
      expect(!health.reachable && health.error.id).toBe('postgres.unreachable');
      expect(Date.now() - started).toBeLessThan(1_500);
      const thrown = await rejection(inspector.lookupUsers([newId()]));
      expect(isSwitchboardError(thrown) && thrown.id).toBe('postgres.unreachable');
    } finally {
      await inspector.close();
    }
  });

  it('reports an unknown role as auth_failed', async () => {
    const url = new URL(process.env.SB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    url.username = 'no_such_role_here';
    url.password = '';
    const inspector = new PostgresInspector({ url: url.toString(), log });
    try {
      const health = await inspector.health();
      expect(!health.reachable && health.error.id).toBe('postgres.auth_failed');
    } finally {
      await inspector.close();
    }
  });

  it('reports tables a database lacks as null and throws query_failed for a lookup there', async () => {
    const inspector = new PostgresInspector({ url: process.env.SB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', log });
    try {
      const health = await inspector.health();
      expect(health.reachable && health.rowCounts).toEqual({ users: null, teams: null, channels: null, posts: null, sessions: null });
      const thrown = await rejection(inspector.lookupUsers([newId()]));
      expect(isSwitchboardError(thrown) && thrown.id).toBe('postgres.query_failed');
    } finally {
      await inspector.close();
    }
  });
});

/** A throwaway Postgres server of this test's own (initdb, trust auth, replication allowed on loopback). */
async function startPrivatePostgres(): Promise<{ url: string; port: number; dir: string; mkdirAs: (path: string) => void; spawnAs: (bin: string, args: string[]) => ChildProcess; stop: () => Promise<void> }> {
  const version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))[0]!;
  const bin = (name: string) => join('/usr/lib/postgresql', version, 'bin', name);
  const dir = mkdtempSync(join(tmpdir(), 'sb-inspector-pg-'));
  // Postgres refuses to run as root: run it as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString()) : undefined;
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres']).toString()) : undefined;
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  const ids = uid !== undefined && gid !== undefined ? { uid, gid } : {};
  execFileSync(bin('initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync'], { ...ids, stdio: 'ignore' });
  const port = await freePort();
  const spawnAs = (name: string, args: string[]) => spawn(name.includes('/') ? name : bin(name), args, { ...ids, stdio: 'ignore' });
  const server = spawnAs(bin('postgres'), ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i += 1) {
    const probe = new pg.Client({ connectionString: url });
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => {});
    if (up) break;
    if (i > 100) throw new Error('private postgres did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    dir,
    spawnAs,
    mkdirAs(path) {
      mkdirSync(path);
      if (uid !== undefined && gid !== undefined) chownSync(path, uid, gid);
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('PostgresInspector replication status (a private primary with a WAL receiver)', () => {
  let server: Awaited<ReturnType<typeof startPrivatePostgres>>;
  let receiver: ChildProcess | undefined;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 30_000);

  afterAll(async () => {
    if (receiver && receiver.exitCode === null) {
      const exited = new Promise((resolve) => receiver!.once('exit', resolve));
      receiver.kill('SIGTERM');
      await exited;
    }
    await server?.stop();
  });

  it('lists a streaming replica with its positions', async () => {
    const inspector = new PostgresInspector({ url: server.url, log });
    try {
      const idle = await inspector.health();
      expect(idle.reachable && idle.replication).toEqual([]);
      const walDir = join(server.dir, 'wal');
      server.mkdirAs(walDir);
      receiver = server.spawnAs('pg_receivewal', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-D', walDir, '--no-sync']);
      let replication: Array<{ clientAddr: string | null; state: string; sentLsn: string | null }> = [];
      // A new receiver catches up first, then streams.
      for (let i = 0; i < 100 && replication[0]?.state !== 'streaming'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const health = await inspector.health();
        replication = health.reachable ? health.replication : [];
      }
      expect(replication).toHaveLength(1);
      expect(replication[0]).toMatchObject({ clientAddr: '127.0.0.1', state: 'streaming' });
      expect(replication[0]!.sentLsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    } finally {
      await inspector.close();
    }
  });
});
