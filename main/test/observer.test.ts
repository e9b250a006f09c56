import { createHmac } from 'node:crypto';
import { clusterKeys, isSwitchboardError, newId } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests drive real nodes through the node's test support; the product code never imports cluster-node.
import { CLUSTER_REDIS_URL, startCluster, type TestCluster } from '../../cluster-node/test/support/cluster.js';
import { connectAuthenticated, type WsClient } from '../../cluster-node/test/support/ws-client.js';
import { PostgresInspector } from '../src/core/inspector/inspector.js';
import { ClusterObserver } from '../src/core/observer/observer.js';
import { ensureProbeFixtures } from '../src/core/observer/probe-fixtures.js';
import { LiveView, sleep } from './support/live-view.js';
import { leakedSince, openHandles } from './support/open-handles.js';

const log = pino({ level: 'silent' });
const baseline = openHandles();

afterAll(async () => {
  // Every connection, socket, timer and child process the suite opened is closed again.
  expect(await leakedSince(baseline)).toEqual({});
});

describe('ClusterObserver on a live three-node cluster', () => {
  let c: TestCluster;
  let inspector: PostgresInspector;
  let observer: ClusterObserver;
  let view: LiveView;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    c = await startCluster(3, { leaderTtlMs: 1_500 });
    inspector = new PostgresInspector({ url: c.databaseUrl, log });
    observer = new ClusterObserver({ redis: { url: c.redisUrl }, cluster: c.cluster, log, clusterSecret: c.secret, lookupUsers: inspector.lookupUsers });
    await observer.start();
    view = new LiveView(observer);
  });

  afterAll(async () => {
    view?.unsubscribe();
    for (const socket of sockets) socket.socket.terminate();
    await observer?.close();
    await inspector?.close();
    await c?.stop();
  });

  it('lists the three nodes, one leader with its epoch and history, and fresh heartbeats', async () => {
    const ids = c.nodes.map((n) => n.node.nodeId).sort();
    const snapshot = await observer.snapshot();
    expect(snapshot.redis).toBe('ok');
    expect(snapshot.cluster).toBe(c.cluster);
    expect(snapshot.nodes.map((n) => n.id)).toEqual(ids);
    for (const node of snapshot.nodes) {
      expect(node.state).toBe('active');
      expect(node.heartbeatAgeMs).toBeLessThan(3_000);
      expect(node.httpAddress).toBe(c.nodes.find((n) => n.node.nodeId === node.id)!.url);
    }
    expect(ids).toContain(snapshot.leader?.nodeId);
    expect(snapshot.leader!.epoch).toBeGreaterThanOrEqual(1);
    expect(snapshot.leader!.since).toBeGreaterThan(0);
    expect(snapshot.leaderHistory.at(-1)).toMatchObject({ event: 'acquired', nodeId: snapshot.leader!.nodeId, epoch: snapshot.leader!.epoch });
    expect(c.nodes.filter((n) => n.node.coordination!.lease.isLeader)).toHaveLength(1);
  });

  it("shows every node's per-second latency summary", async () => {
    const latency = await view.until('three latency summaries', (s) => s.latency.length === 3 && s.latency);
    expect(latency.map((l) => l.nodeId).sort()).toEqual(c.nodes.map((n) => n.node.nodeId).sort());
    expect(latency.every((l) => l.windowMs === 1_000)).toBe(true);
  });

  it('sees presence rise when WebSocket clients connect and fall when they leave, with a searchable user list', async () => {
    const alice = await c.nodes[0]!.user('alice');
    const bob = await c.nodes[0]!.user('bobby');
    const n2 = c.nodes[1]!.node.nodeId;
    sockets.push(await connectAuthenticated(c.nodes[1]!.url, alice.token));
    sockets.push(await connectAuthenticated(c.nodes[2]!.url, alice.token));
    sockets.push(await connectAuthenticated(c.nodes[1]!.url, bob.token));
    const presence = await view.until('two users online', (s) => s.presence.usersOnline === 2 && s.presence.connections === 3 && s.presence);
    expect(presence.perNode.find((n) => n.nodeId === n2)).toEqual({ nodeId: n2, users: 2, connections: 2 });

    const page = await observer.presenceUsers({});
    expect(page).toMatchObject({ total: 2, page: 0, perPage: 50 });
    expect(page.users[0]).toEqual({ id: alice.userId, username: 'alice', connections: 2, nodes: [c.nodes[1]!.node.nodeId, c.nodes[2]!.node.nodeId].sort() });
    expect(page.users[1]).toEqual({ id: bob.userId, username: 'bobby', connections: 1, nodes: [n2] });
    expect((await observer.presenceUsers({ search: 'BOB' })).users.map((u) => u.username)).toEqual(['bobby']);
    expect((await observer.presenceUsers({ search: alice.userId.slice(3, 12) })).users.map((u) => u.id)).toEqual([alice.userId]);
    expect(await observer.presenceUsers({ page: 1, perPage: 1 })).toMatchObject({ total: 2, users: [{ username: 'bobby' }] });
    expect((await observer.presenceUsers({ search: 'nobody-like-that' })).total).toBe(0);
    const refused = await observer.presenceUsers({ perPage: 5_000 }).catch((err: unknown) => err);
    expect(isSwitchboardError(refused) && refused.id).toBe('console.invalid_argument');

    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await view.until('nobody online', (s) => s.presence.usersOnline === 0 && s.presence.connections === 0);
  });

  it('shows posts made through the API in the recent events, verified with the secret, filtered on demand', async () => {
    const carol = await c.nodes[0]!.user('carol');
    const team = await carol.post('/teams', { name: 'events', display_name: 'Events', type: 'O' });
    const channel = await carol.post('/channels', { team_id: team.body.id, name: 'feed', display_name: 'Feed', type: 'O' });
    for (const message of ['event-one', 'event-two', 'event-three']) {
      expect((await carol.post('/posts', { channel_id: channel.body.id, message })).status).toBe(201);
    }
    const recent = await observer.recentEvents({ kinds: ['posted'], limit: 3 });
    const messages = recent.events.map((e) => JSON.parse(e.data.post as string).message);
    expect(messages).toEqual(['event-three', 'event-two', 'event-one']);
    expect(recent.events.every((e) => e.verified && e.origin === c.nodes[0]!.node.nodeId && e.channelId === channel.body.id)).toBe(true);
    expect(recent.malformed).toBe(0);
    expect((await observer.recentEvents({ pattern: 'EVENT-TWO' })).events.map((e) => e.kind)).toEqual(['posted']);
    expect((await observer.recentEvents({ channel: channel.body.id, kinds: ['channel_created', 'posted'] })).events).toHaveLength(3);
    expect((await observer.recentEvents({ node: c.nodes[2]!.node.nodeId, kinds: ['posted'] })).events).toEqual([]);
    // The bus feed saw them too, live.
    await view.until('the posts in the live feed', () => view.events.filter((e) => e.kind === 'posted').length >= 3);

    const blind = new ClusterObserver({ redis: { url: c.redisUrl }, cluster: c.cluster, log });
    try {
      const unverified = await blind.recentEvents({ kinds: ['posted'], limit: 3 });
      expect(unverified.events.map((e) => e.id)).toEqual(recent.events.map((e) => e.id));
      expect(unverified.events.every((e) => e.verified === false)).toBe(true);
    } finally {
      await blind.close();
    }
    const refused = await observer.recentEvents({ limit: 0 }).catch((err: unknown) => err);
    expect(isSwitchboardError(refused) && refused.id).toBe('console.invalid_argument');
  });

  it('probes end to end: a post through one node, seen on every node, all of it in Postgres once', async () => {
    const fixtures = await ensureProbeFixtures(c.nodes[0]!.url, { password: 'probe-password-123' });
    // Idempotent: a second run finds what the first made.
    expect(await ensureProbeFixtures(c.nodes[1]!.url, { password: 'probe-password-123' })).toMatchObject({ teamId: fixtures.teamId, channelId: fixtures.channelId, userId: fixtures.userId });
    const result = await observer.probe({ token: fixtures.token, channelId: fixtures.channelId, via: c.nodes[2]!.node.nodeId });
    expect(result.error).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.via).toBe(c.nodes[2]!.url);
    expect(result.nodes.map((n) => n.nodeId).sort()).toEqual(c.nodes.map((n) => n.node.nodeId).sort());
    for (const node of result.nodes) {
      expect(node.error).toBeNull();
      expect(node.latencyMs).toBeGreaterThan(0);
      expect(node.latencyMs).toBeLessThan(2_000);
    }

    observer.startProbe({ token: fixtures.token, channelId: fixtures.channelId, intervalMs: 200 });
    const seen = new Set<string>();
    await view.until('three more probes in the live updates', (s) => (s.probe && seen.add(s.probe.id).size >= 4) || undefined, 10_000);
    observer.stopProbe();
    await sleep(300);

    const messages = observer.probeMessages();
    expect(messages.length).toBeGreaterThanOrEqual(4);
    const report = await inspector.consistencyCheck(messages);
    expect(report).toMatchObject({ expected: messages.length, found: messages.length, missing: [], duplicated: [], channelId: fixtures.channelId });
  });

  it('sees a leader change within a second: a stopped leader, then a crashed one', async () => {
    const first = await view.until('a leader', (s) => s.leader ?? undefined);
    const leaderNode = c.nodes.find((n) => n.node.nodeId === first.nodeId)!;
    const updatesBefore = view.updates.length;
    await leaderNode.node.stop();
    await view.until('the stopped leader gone', (s) => s.leader?.nodeId !== first.nodeId, 1_000);
    const goneAt = view.updates.slice(updatesBefore).find(({ update }) => update.type === 'delta' && 'leader' in update.changes && update.changes.leader?.nodeId !== first.nodeId)!.at;
    const second = await view.until('a new leader', (s) => s.leader ?? undefined, 5_000);
    expect(second.epoch).toBeGreaterThan(first.epoch);
    // The release is recorded with the moment it happened: the observer showed it within a second.
    const released = view.state!.leaderHistory.find((h) => h.event === 'released' && h.nodeId === first.nodeId && h.epoch === first.epoch);
    expect(released).toBeDefined();
    expect(goneAt - released!.ts).toBeLessThanOrEqual(1_000);

    // A crash releases nothing: the lease runs out (TTL), a survivor takes it; that takeover must show within a second.
    c.nodes.find((n) => n.node.nodeId === second.nodeId)!.node.coordination!.lease.crash();
    const third = await view.until('a leader after the crash', (s) => (s.leader && s.leader.nodeId !== second.nodeId ? s.leader : undefined), 5_000);
    const seenAt = view.updates.find(({ update }) => update.type === 'delta' && update.changes.leader?.epoch === third.epoch)!.at;
    expect(third.since).not.toBeNull();
    expect(seenAt - third.since!).toBeLessThanOrEqual(1_000);
    expect(third.epoch).toBeGreaterThan(second.epoch);
  });
});

/** A signed envelope as nodes publish it: `<stream id> <hmac>.<json>`. */
function busMessage(seq: number): string {
  const json = JSON.stringify({
    v: 1,
    id: newId(),
    origin: 'burst',
    originSeq: seq,
    ts: Date.now(),
    kind: 'posted',
    broadcast: { omit_users: null, user_id: '', channel_id: 'c'.repeat(26), team_id: '' },
    data: { post: '{}' },
  });
  return `${Date.now()}-${seq} ${createHmac('sha256', 'burst-secret').update(json).digest('hex')}.${json}`;
}

describe('ClusterObserver live updates under a burst', () => {
  it('coalesces 1,000 bus events into at most five updates a second and counts them all', async () => {
    const cluster = `t${newId()}`;
    const observer = new ClusterObserver({ redis: { url: CLUSTER_REDIS_URL }, cluster, log });
    const publisher = new Redis(CLUSTER_REDIS_URL);
    try {
      await observer.start();
      const view = new LiveView(observer);
      await view.until('redis ok', (s) => s.redis === 'ok');
      await sleep(600);
      const burstAt = Date.now();
      const pipeline = publisher.pipeline();
      for (let i = 1; i <= 1_000; i += 1) pipeline.publish(clusterKeys(cluster).bus, busMessage(i));
      await pipeline.exec();
      await view.until('all 1,000 events carried or counted', () => view.events.length + view.eventsDropped >= 1_000, 3_000);
      await sleep(1_000 - (Date.now() - burstAt));
      const inFirstSecond = view.updates.filter(({ at }) => at >= burstAt && at < burstAt + 1_000);
      expect(inFirstSecond.length).toBeGreaterThanOrEqual(1);
      expect(inFirstSecond.length).toBeLessThanOrEqual(5);
      expect(view.events.length + view.eventsDropped).toBe(1_000);
      expect(view.events.length).toBeGreaterThan(0);
      expect(view.events.every((e) => e.verified === false && e.origin === 'burst')).toBe(true);
      const rates = view.state!.eventRates;
      expect(rates.perKind.posted).toBeGreaterThan(100);
      expect(rates.total).toBe(rates.perKind.posted);
      view.unsubscribe();
    } finally {
      publisher.disconnect();
      await observer.close();
    }
  });
});
