import { clusterKeys, newId, nodeConfigSchema, type ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StatusService } from '../src/app/statuses.js';
import { ClusterPresence, listPresence } from '../src/cluster/cluster-presence.js';
import { LocalEventBus } from '../src/events/event-bus.js';
import { createLogger } from '../src/logging/logger.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { createDb, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createTestDatabase } from './support/database.js';
import { cleanupCluster, connectTestRedis, startOwnRedis, TEST_REDIS_URL, uniqueCluster, waitFor } from './support/redis.js';

const log = createLogger({ level: 'silent', nodeId: 'test' });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let bus: LocalEventBus;
let statuses: StatusService;
let admin: Redis;
/** Every status_change published, in order, as `user:status`. */
let published: string[] = [];
const clusters: string[] = [];
const clients: Redis[] = [];
const presences: ClusterPresence[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate({ databaseUrl: database.url, log });
  db = createDb({ url: database.url, max: 4 });
  bus = new LocalEventBus('test');
  const config = nodeConfigSchema.parse({ databaseUrl: database.url, nodeId: 'test' });
  statuses = new StatusService({ config, db, bus, log, metrics: createMetrics({ nodeId: 'test', collectDefaults: false }), now: Date.now });
  bus.subscribe((event) => {
    if (event.kind === 'status_change') published.push(`${event.data.user_id}:${event.data.status}`);
  });
  admin = await connectTestRedis();
});

afterEach(async () => {
  await Promise.all(presences.splice(0).map((presence) => presence.stop()));
  for (const client of clients.splice(0)) client.disconnect();
  published = [];
});

afterAll(async () => {
  for (const cluster of clusters) await cleanupCluster(admin, cluster);
  admin.disconnect();
  await bus.close();
  await db.close();
  await database.drop();
});

function newKeys(): ClusterKeys {
  const cluster = uniqueCluster();
  clusters.push(cluster);
  return clusterKeys(cluster);
}

async function node(keys: ClusterKeys, nodeId: string, url = TEST_REDIS_URL): Promise<ClusterPresence> {
  const redis = await connectTestRedis(url);
  clients.push(redis);
  const presence = new ClusterPresence({ redis, keys, nodeId, statuses, log });
  presences.push(presence);
  await presence.start();
  return presence;
}

async function user(): Promise<string> {
  const id = newId();
  const now = Date.now();
  await db.query(
    `INSERT INTO users (id, create_at, update_at, username, email, password_hash, last_password_update) VALUES ($1, $2, $2, $3, $4, 'x', $2)`,
    [id, now, `u${id.slice(0, 10)}`, `${id}@example.com`],
  );
  return id;
}

async function statusOf(userId: string): Promise<string> {
  return (await statuses.get([userId]))[0]!.status;
}

/** Waits for presence work and for the bus to deliver what it caused. */
async function settle(...nodes: ClusterPresence[]): Promise<void> {
  for (const presence of nodes) await presence.settled();
  await new Promise((resolve) => setImmediate(resolve));
}

async function totals(keys: ClusterKeys): Promise<Record<string, string>> {
  return admin.hgetall(keys.presenceUsers);
}

describe('cluster presence', () => {
  it('a user connected on two nodes stays online until the last socket anywhere closes', async () => {
    const keys = newKeys();
    const [a, b] = [await node(keys, 'node-a'), await node(keys, 'node-b')];
    const u = await user();
    a.opened(u);
    b.opened(u);
    b.opened(u);
    await settle(a, b);
    expect(await statusOf(u)).toBe('online');
    expect(await totals(keys)).toEqual({ [u]: '3' });
    expect([a.usersOnline, b.usersOnline]).toEqual([1, 1]);

    a.closed(u);
    b.closed(u);
    await settle(a, b);
    expect(await statusOf(u)).toBe('online');
    b.closed(u);
    await settle(a, b);
    expect(await statusOf(u)).toBe('offline');
    expect(published).toEqual([`${u}:online`, `${u}:offline`]);
    expect(await totals(keys)).toEqual({});
    expect(await admin.exists(keys.presenceNode('node-a'), keys.presenceNode('node-b'))).toBe(0);
    expect([a.usersOnline, b.usersOnline]).toEqual([0, 0]);
  });

  it('reaping a dead node keeps online a user who has a socket elsewhere', async () => {
    const keys = newKeys();
    const [dead, leader] = [await node(keys, 'node-a'), await node(keys, 'node-b')];
    const u = await user();
    dead.opened(u);
    leader.opened(u);
    await settle(dead, leader);
    await dead.stop(); // it dies: its sockets are never reported closed

    expect(await leader.reap('node-a')).toEqual([]);
    await settle(leader);
    expect(await statusOf(u)).toBe('online');
    expect(await totals(keys)).toEqual({ [u]: '1' });
    expect(await admin.exists(keys.presenceNode('node-a'))).toBe(0);
    expect(published).toEqual([`${u}:online`]);
  });

  it('reaping a dead node marks offline the users it alone held, once', async () => {
    const keys = newKeys();
    const [dead, leader] = [await node(keys, 'node-a'), await node(keys, 'node-b')];
    const [onlyThere, both] = [await user(), await user()];
    dead.opened(onlyThere);
    dead.opened(onlyThere);
    dead.opened(both);
    leader.opened(both);
    await settle(dead, leader);
    await dead.stop();

    expect(await leader.reap('node-a')).toEqual([onlyThere]);
    expect(await statusOf(onlyThere)).toBe('offline');
    expect(await statusOf(both)).toBe('online');
    expect(await leader.reap('node-a')).toEqual([]);
    await settle(leader);
    expect(published.filter((entry) => entry.startsWith(onlyThere))).toEqual([`${onlyThere}:online`, `${onlyThere}:offline`]);
    expect(await totals(keys)).toEqual({ [both]: '1' });
    expect(await leader.reap('node-b')).toEqual([]);
    expect(await admin.hgetall(keys.presenceNode('node-b'))).toEqual({ [both]: '1' });
  });

  it('totals never go negative, whatever order closes and reaps arrive in', async () => {
    const keys = newKeys();
    const [a, b] = [await node(keys, 'node-a'), await node(keys, 'node-b')];
    const u = await user();
    a.closed(u); // never opened: ignored
    a.opened(u);
    await settle(a, b);
    // A total already lower than a node's count (as after a botched manual edit).
    await admin.hset(keys.presenceNode('node-c'), u, '5');
    expect(await b.reap('node-c')).toEqual([u]);
    expect(await totals(keys)).toEqual({});
    a.closed(u);
    a.closed(u);
    await settle(a, b);
    expect(await totals(keys)).toEqual({});
    expect(await admin.hgetall(keys.presenceNode('node-a'))).toEqual({});
    expect(await statusOf(u)).toBe('offline');
  });

  it('a restarted node clears the ghosts its previous run left behind', async () => {
    const keys = newKeys();
    const [ghost, kept] = [await user(), await user()];
    const other = await node(keys, 'node-b');
    other.opened(kept);
    await admin.hset(keys.presenceNode('node-a'), ghost, '2', kept, '1');
    await admin.hset(keys.presenceUsers, ghost, '2', kept, '2');
    await statuses.connected(ghost);
    await settle(other);
    published = [];

    const restarted = await node(keys, 'node-a');
    await settle(restarted);
    expect(await statusOf(ghost)).toBe('offline');
    expect(await statusOf(kept)).toBe('online');
    expect(published).toEqual([`${ghost}:offline`]);
    expect(await totals(keys)).toEqual({ [kept]: '1' });
    expect(await admin.exists(keys.presenceNode('node-a'))).toBe(0);
  });

  it('lists cluster presence per node', async () => {
    const keys = newKeys();
    const [a, b] = [await node(keys, 'node-a'), await node(keys, 'node-b')];
    const [u, v] = [await user(), await user()];
    a.opened(u);
    a.opened(u);
    a.opened(v);
    b.opened(v);
    await settle(a, b);
    expect(await listPresence(admin, keys)).toEqual({
      usersOnline: 2,
      connections: 4,
      nodes: [
        { nodeId: 'node-a', users: 2, connections: 3 },
        { nodeId: 'node-b', users: 1, connections: 1 },
      ],
    });
  });
});

describe('cluster presence through a Redis restart', () => {
  it('counts locally while Redis is down, marks nobody offline, and resyncs when it is back', async () => {
    const own = await startOwnRedis();
    try {
      const keys = newKeys();
      const a = await node(keys, 'node-a', own.url);
      const [leaving, staying, arriving] = [await user(), await user(), await user()];
      a.opened(leaving);
      a.opened(staying);
      await settle(a);
      expect(await statusOf(leaving)).toBe('online');

      await own.kill();
      a.closed(leaving);
      a.opened(arriving);
      await settle(a);
      expect(await statusOf(leaving)).toBe('online');
      expect(await statusOf(arriving)).toBe('online');
      expect(a.usersOnline).toBe(2);

      // Redis comes back empty; the node's reconnect triggers the resync.
      await own.restart();
      const probe = await connectTestRedis(own.url);
      clients.push(probe);
      const restored = await waitFor(async () => {
        const counts = await probe.hgetall(keys.presenceNode('node-a'));
        return Object.keys(counts).length === 2 ? counts : undefined;
      }, 10_000);
      expect(restored).toEqual({ [staying]: '1', [arriving]: '1' });
      await settle(a);
      expect(await probe.hgetall(keys.presenceUsers)).toEqual({ [staying]: '1', [arriving]: '1' });
      expect(await statusOf(leaving)).toBe('offline');
      expect(await statusOf(staying)).toBe('online');
      expect(await statusOf(arriving)).toBe('online');
    } finally {
      await own.kill();
    }
  });
});
