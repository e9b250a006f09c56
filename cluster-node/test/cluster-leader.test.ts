import { clusterKeys, isSwitchboardError, type ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeaderLease, leaderSafetyMarginMs, readLeaderHistory, type LeaderChange } from '../src/cluster/leader-lease.js';
import { createLogger } from '../src/logging/logger.js';
import { createDb, type Db } from '../src/store/db.js';
import { claimEpoch, fencedWrite, getFenceEpoch, LEADER_CLAIM, maxFenceEpoch } from '../src/store/fence.store.js';
import { migrate } from '../src/store/migrate.js';
import { createTestDatabase } from './support/database.js';
import { cleanupCluster, connectTestRedis, uniqueCluster, waitFor } from './support/redis.js';

const TTL = 1_500;
const log = createLogger({ level: 'silent', nodeId: 'test' });

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let admin: Redis;
const clusters: string[] = [];
const clients: Redis[] = [];
const leases: LeaderLease[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate({ databaseUrl: database.url, log });
  db = createDb({ url: database.url, max: 4 });
  await db.query('CREATE TABLE fence_probe (v text NOT NULL)');
  admin = await connectTestRedis();
});

afterEach(async () => {
  await Promise.all(leases.splice(0).map((lease) => lease.stop()));
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  for (const cluster of clusters) await cleanupCluster(admin, cluster);
  admin.disconnect();
  await db.close();
  await database.drop();
});

/** A fresh cluster and a factory of leases on it, each with its own Redis connection. */
function cluster(): { keys: ClusterKeys; lease: (nodeId: string) => Promise<{ lease: LeaderLease; redis: Redis }> } {
  const name = uniqueCluster();
  clusters.push(name);
  const keys = clusterKeys(name);
  return {
    keys,
    async lease(nodeId) {
      const redis = await connectTestRedis();
      clients.push(redis);
      const lease = new LeaderLease({ redis, keys, nodeId, ttlMs: TTL, log, db });
      leases.push(lease);
      return { lease, redis };
    },
  };
}

async function probeValues(): Promise<string[]> {
  return (await db.query<{ v: string }>('SELECT v FROM fence_probe ORDER BY v')).rows.map((row) => row.v);
}

describe('leader lease', () => {
  it('elects exactly one leader among two, and keeps it through renewals past the TTL', async () => {
    const c = cluster();
    const [{ lease: a }, { lease: b }] = await Promise.all([c.lease('node-a'), c.lease('node-b')]);
    await Promise.all([a.start(), b.start()]);
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const leader = a.isLeader ? a : b;
    const holder = await leader.current();
    expect(holder).toEqual({ nodeId: a.isLeader ? 'node-a' : 'node-b', epoch: leader.epoch });
    await new Promise((resolve) => setTimeout(resolve, 2 * TTL));
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    expect(leader.isLeader).toBe(true);
    expect(await leader.current()).toEqual(holder);
  });

  it('after the leader dies without releasing, the survivor takes over within TTL + 1 s with a higher epoch, and the old epoch is fenced out', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    const { lease: b } = await c.lease('node-b');
    await b.start();
    expect(a.isLeader).toBe(true);
    expect(b.isLeader).toBe(false);
    const oldEpoch = a.epoch!;
    await a.fenced('reaper', (tx) => tx.query("INSERT INTO fence_probe VALUES ('1-old-leader')"));

    a.crash();
    const killedAt = Date.now();
    await waitFor(() => b.isLeader, TTL + 2_000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(TTL + 1_000);
    expect(b.epoch).toBeGreaterThan(oldEpoch);
    expect(await b.current()).toEqual({ nodeId: 'node-b', epoch: b.epoch });

    await b.fenced('reaper', (tx) => tx.query("INSERT INTO fence_probe VALUES ('2-new-leader')"));
    let ran = false;
    const stale = await fencedWrite(db, 'reaper', oldEpoch, async (tx) => {
      ran = true;
      await tx.query("INSERT INTO fence_probe VALUES ('3-stale')");
    }).catch((err: unknown) => err);
    expect(isSwitchboardError(stale) && stale.id).toBe('cluster.fence.stale');
    expect(isSwitchboardError(stale) && stale.status).toBe(409);
    expect(ran).toBe(false);
    expect(await probeValues()).toEqual(['1-old-leader', '2-new-leader']);
    expect(await getFenceEpoch(db, 'reaper')).toBe(b.epoch);
    // The dead node's object no longer claims leadership either.
    await expect(a.fenced('reaper', async () => 'never')).rejects.toMatchObject({ id: 'cluster.fence.stale' });
  });

  it('release() hands the lease over well before the TTL would have', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    const { lease: b } = await c.lease('node-b');
    await b.start();
    expect(a.isLeader).toBe(true);
    const changes: LeaderChange[] = [];
    a.onChange((change) => changes.push(change));

    await a.release();
    const releasedAt = Date.now();
    expect(a.isLeader).toBe(false);
    expect(changes).toEqual([{ isLeader: false, epoch: expect.any(Number), nodeId: 'node-a' }]);
    expect((await a.current())?.nodeId).not.toBe('node-a');
    await waitFor(() => b.isLeader, TTL);
    expect(Date.now() - releasedAt).toBeLessThan(TTL / 3 + 400);
    // A released node stops competing: it does not take the lease back.
    await new Promise((resolve) => setTimeout(resolve, TTL));
    expect(a.isLeader).toBe(false);
    expect(b.isLeader).toBe(true);
  });

  it('a leader cut off from Redis steps down on its own before its lease expires', async () => {
    const c = cluster();
    const { lease: a, redis } = await c.lease('node-a');
    await a.start();
    expect(a.isLeader).toBe(true);
    const remaining: Array<Promise<number>> = [];
    a.onChange((change) => {
      if (!change.isLeader) remaining.push(admin.pttl(c.keys.leader));
    });

    redis.disconnect();
    const cutAt = Date.now();
    await waitFor(() => !a.isLeader, TTL);
    expect(Date.now() - cutAt).toBeLessThan(TTL);
    expect(remaining).toHaveLength(1);
    // Stepped down while the lease still had time left: no moment with two leaders.
    expect(await remaining[0]).toBeGreaterThan(0);
    expect(await remaining[0]).toBeLessThanOrEqual(leaderSafetyMarginMs(TTL) + 100);
  });

  it('a leader whose lease vanished steps down at its next renewal and records it', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    const epoch = a.epoch!;
    await admin.del(c.keys.leader);
    await waitFor(() => !a.isLeader || undefined, TTL);
    // It competes again and wins a new epoch, since nobody else does.
    await waitFor(() => a.isLeader, TTL);
    expect(a.epoch).toBe(epoch + 1);
    const events = (await readLeaderHistory(admin, c.keys, 10)).map((e) => [e.event, e.epoch]);
    expect(events).toEqual([['acquired', epoch], ['stepped_down', epoch], ['acquired', epoch + 1]]);
  });

  it('records every change in the history stream, in order, newest last', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    const { lease: b } = await c.lease('node-b');
    await b.start();
    const epochA = a.epoch!;
    await a.stop();
    await waitFor(() => b.isLeader, TTL);
    const epochB = b.epoch!;
    await b.stop();
    expect(epochB).toBe(epochA + 1);
    const history = await readLeaderHistory(admin, c.keys, 100);
    expect(history.map((e) => [e.event, e.nodeId, e.epoch])).toEqual([
      ['acquired', 'node-a', epochA],
      ['released', 'node-a', epochA],
      ['acquired', 'node-b', epochB],
      ['released', 'node-b', epochB],
    ]);
    expect(history.every((e, i) => i === 0 || e.ts >= history[i - 1]!.ts)).toBe(true);
    expect(await readLeaderHistory(admin, c.keys, 2)).toEqual(history.slice(2));
    expect(await a.current()).toBeUndefined();
  });
});

describe('leader lease after Redis lost its epoch counter', () => {
  it('starts above the epochs the fence has seen, so leader writes go on', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    await a.fenced('counter-lost', async () => {});
    const before = await getFenceEpoch(db, 'counter-lost');
    await a.stop();
    await admin.del(c.keys.leaderEpoch, c.keys.leader, c.keys.leaderHistory); // as after a Redis restart
    const { lease: b } = await c.lease('node-b');
    await b.start();
    expect(b.epoch).toBeGreaterThan(before!);
    await expect(b.fenced('counter-lost', async () => 'written')).resolves.toBe('written');
  });

  it('a leader whose fenced write is refused steps down and comes back above the fence', async () => {
    const c = cluster();
    const { lease: a } = await c.lease('node-a');
    await a.start();
    const epoch = a.epoch!;
    await fencedWrite(db, 'deposed', epoch + 10, async () => {}); // a newer leader wrote meanwhile
    await expect(a.fenced('deposed', async () => {})).rejects.toMatchObject({ id: 'cluster.fence.stale' });
    expect(a.isLeader).toBe(false);
    await waitFor(() => a.isLeader, 2 * TTL);
    expect(a.epoch).toBeGreaterThan(epoch + 10);
    await expect(a.fenced('deposed', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('fencedWrite', () => {
  it('after a failover lost the lease and the last INCR, a second leader with the same epoch is refused by its claim and one leader with a newer epoch follows', async () => {
    const c = cluster();
    const [{ lease: a }, { lease: b }] = await Promise.all([c.lease('node-a'), c.lease('node-b')]);
    const changes: LeaderChange[] = [];
    b.onChange((change) => changes.push(change));
    // b reads its epoch floor from Postgres while someone else holds the lease, then a acquires.
    await admin.set(c.keys.leader, '{"nodeId":"placeholder","epoch":1}', 'PX', 60_000);
    await b.start();
    await admin.del(c.keys.leader);
    await a.start();
    expect(a.isLeader).toBe(true);
    const first = a.epoch!;
    await waitFor(async () => (await getFenceEpoch(db, LEADER_CLAIM)) === first, 2_000);
    // What a failover leaves when the old primary's last writes were not replicated.
    await admin.del(c.keys.leader);
    await admin.set(c.keys.leaderEpoch, String(first - 1));
    // b's stale floor lets it take the same epoch again; its claim is refused and it steps down.
    await waitFor(() => changes.some((change) => change.isLeader && change.epoch === first) && changes.some((change) => !change.isLeader && change.epoch === first), 3 * TTL);
    const leader = await waitFor(() => {
      const leaders = [a, b].filter((lease) => lease.isLeader);
      return leaders.length === 1 && leaders[0]!.epoch! > first ? leaders[0] : undefined;
    }, 4 * TTL);
    expect((await leader.current())?.epoch).toBe(leader.epoch);
    await waitFor(async () => (await getFenceEpoch(db, LEADER_CLAIM)) === leader.epoch, 2_000);
    await expect(fencedWrite(db, 'after-failover', first, async () => 'stale')).rejects.toMatchObject({ id: 'cluster.fence.stale' });
  });

  it('accepts the same or a higher epoch, refuses a lower one, and a failed write does not raise the fence', async () => {
    const name = `job-${Date.now()}`;
    // Leases acquired by the tests above have claimed epochs; start above them.
    const e = (await maxFenceEpoch(db)) + 5;
    await fencedWrite(db, name, e, async () => {});
    await fencedWrite(db, name, e, async () => {});
    await expect(fencedWrite(db, name, e + 2, async () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
    expect(await getFenceEpoch(db, name)).toBe(e);
    await expect(fencedWrite(db, name, e + 1, async () => 'done')).resolves.toBe('done');
    await expect(fencedWrite(db, name, e, async () => 'late')).rejects.toMatchObject({ id: 'cluster.fence.stale' });
    expect(await getFenceEpoch(db, name)).toBe(e + 1);
    await expect(fencedWrite(db, name, 0, async () => {})).rejects.toThrow(RangeError);
  });

  it('lets one leader claim an epoch: the same epoch again is refused (a failover lost the counter), and a claim deposes lower epochs under every name', async () => {
    const e = (await maxFenceEpoch(db)) + 1;
    const other = `other-job-${Date.now()}`;
    await fencedWrite(db, other, e, async () => {});
    expect(await claimEpoch(db, e + 1)).toBe(true);
    expect(await claimEpoch(db, e + 1)).toBe(false);
    expect(await claimEpoch(db, e)).toBe(false);
    expect(await getFenceEpoch(db, LEADER_CLAIM)).toBe(e + 1);
    // The deposed epoch is refused even under a name the new leader has not written yet.
    await expect(fencedWrite(db, other, e, async () => 'deposed')).rejects.toMatchObject({ id: 'cluster.fence.stale' });
    await expect(fencedWrite(db, `fresh-${Date.now()}`, e, async () => 'deposed')).rejects.toMatchObject({ id: 'cluster.fence.stale' });
    await expect(fencedWrite(db, other, e + 1, async () => 'leader')).resolves.toBe('leader');
    expect(await maxFenceEpoch(db)).toBe(e + 1);
  });
});
