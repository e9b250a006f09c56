import { clusterKeys, newId } from '@switchboard/shared';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLatency } from '../src/cluster/latency.js';
import { signFrame } from '../src/cluster/signing.js';
import { ApiClient } from './support/api.js';
import { startCluster, type TestCluster } from './support/cluster.js';
import { connectAuthenticated, type WsClient } from './support/ws-client.js';

/** The same user's client pointed at another node. */
function via(client: ApiClient, baseUrl: string): ApiClient {
  const other = new ApiClient(baseUrl);
  other.token = client.token;
  other.userId = client.userId;
  return other;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three nodes over Redis', () => {
  let c: TestCluster;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let channelId: string;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    c = await startCluster(3);
    const [a, b, n3] = c.nodes;
    alice = await a!.user('alice');
    bob = via(await b!.user('bob'), b!.url);
    carol = via(await n3!.user('carol'), n3!.url);
    const team = await alice.post('/teams', { name: 'ha', display_name: 'HA', type: 'O' });
    for (const user of [bob, carol]) await alice.post(`/teams/${team.body.id}/members`, { team_id: team.body.id, user_id: user.userId });
    const channel = await alice.post('/channels', { team_id: team.body.id, name: 'chat', display_name: 'Chat', type: 'O' });
    channelId = channel.body.id;
    await alice.post(`/channels/${channelId}/members`, { user_ids: [bob.userId, carol.userId] });
  });
  afterAll(async () => {
    for (const ws of sockets) ws.socket.terminate();
    await c?.stop();
  });

  it('delivers a post, typing, an edit, a delete and status changes made on one node to sockets on the others', async () => {
    const [a, b, n3] = c.nodes;
    const onB = await connectAuthenticated(b!.url, bob.token);
    const onC = await connectAuthenticated(n3!.url, carol.token);
    const aliceOnA = await connectAuthenticated(a!.url, alice.token);
    const aliceOnB = await connectAuthenticated(b!.url, alice.token);
    sockets.push(onB, onC, aliceOnA, aliceOnB);
    const post = await alice.post('/posts', { channel_id: channelId, message: 'across the cluster' });
    for (const ws of [onB, onC]) {
      const posted = await ws.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).id === post.body.id);
      expect(posted.broadcast.channel_id).toBe(channelId);
    }
    await aliceOnA.action('user_typing', { channel_id: channelId, parent_id: '' });
    await onC.waitFor((f) => f.event === 'typing' && f.data.user_id === alice.userId);
    await alice.put(`/posts/${post.body.id}/patch`, { message: 'edited across' });
    await onB.waitFor((f) => f.event === 'post_edited' && JSON.parse(f.data.post).message === 'edited across');
    await alice.delete(`/posts/${post.body.id}`);
    await onC.waitFor((f) => f.event === 'post_deleted' && JSON.parse(f.data.post).id === post.body.id);
    await alice.put(`/users/${alice.userId}/status`, { user_id: alice.userId, status: 'dnd' });
    // A status change reaches the user's own sockets on every node (Mattermost sends it to no one else).
    await aliceOnB.waitFor((f) => f.event === 'status_change' && f.data.user_id === alice.userId && f.data.status === 'dnd');
    expect(onB.events.filter((f) => f.event === 'status_change' && f.data.user_id === alice.userId)).toEqual([]);
    for (const ws of [onB, onC]) {
      const seqs = ws.events.map((f) => f.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i));
    }
  });

  it('drops and counts forged and malformed envelopes', async () => {
    const [a, b] = c.nodes;
    const onB = await connectAuthenticated(b!.url, bob.token);
    sockets.push(onB);
    const keys = clusterKeys(c.cluster);
    const redis = new Redis(c.redisUrl);
    const envelope = { v: 1, id: newId(), origin: 'intruder', originSeq: 1, ts: Date.now(), kind: 'posted', broadcast: { omit_users: null, user_id: '', channel_id: channelId, team_id: '' }, data: { post: '{"message":"forged"}' } };
    await redis.publish(keys.bus, `1-0 ${signFrame('not-the-cluster-secret', JSON.stringify(envelope))}`);
    await redis.publish(keys.bus, `2-0 ${signFrame(c.secret, JSON.stringify({ ...envelope, kind: 'launch_rockets' }))}`);
    await redis.publish(keys.bus, 'garbage');
    redis.disconnect();
    const marker = await alice.post('/posts', { channel_id: channelId, message: 'after the forgeries' });
    await onB.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).id === marker.body.id);
    expect(onB.events.some((f) => f.event === 'posted' && f.data.post.includes('forged'))).toBe(false);
    const metrics = await (await fetch(`${a!.url}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_bus_dropped_total\{reason="signature"[^}]*\} 1/);
    expect(metrics).toMatch(/switchboard_bus_dropped_total\{reason="malformed"[^}]*\} 2/);
  });

  it('resumes a client on another node with every missed event once, in order, with continuous seq', async () => {
    const [a, b, n3] = c.nodes;
    const first = await connectAuthenticated(b!.url, bob.token);
    const hello = await first.waitForEvent('hello');
    await alice.post('/posts', { channel_id: channelId, message: 'seen-1' });
    await first.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).message === 'seen-1');
    const nextSeq = first.events.at(-1)!.seq! + 1;
    await sleep(700); // two checkpoint intervals: the checkpoint now covers seen-1
    first.socket.terminate();
    for (const message of ['missed-1', 'missed-2', 'missed-3']) await via(alice, a!.url).post('/posts', { channel_id: channelId, message });
    const resumed = await connectAuthenticated(n3!.url, bob.token, { connectionId: hello.data.connection_id, sequence: nextSeq });
    sockets.push(resumed);
    await resumed.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).message === 'missed-3');
    await alice.post('/posts', { channel_id: channelId, message: 'live-after' });
    await resumed.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).message === 'live-after');
    expect(resumed.events.some((f) => f.event === 'hello')).toBe(false);
    const messages = resumed.events.filter((f) => f.event === 'posted').map((f) => JSON.parse(f.data.post).message);
    expect(messages).toEqual(['missed-1', 'missed-2', 'missed-3', 'live-after']);
    expect(resumed.events.map((f) => f.seq)).toEqual(resumed.events.map((_, i) => nextSeq + i));
  });

  it('records origin-to-receiver latency per origin node and publishes it every second to Redis and /metrics', async () => {
    const [a, b] = c.nodes;
    for (let i = 0; i < 5; i += 1) await alice.post('/posts', { channel_id: channelId, message: `timed-${i}` });
    const redis = new Redis(c.redisUrl);
    try {
      let summaries = await readLatency(redis, clusterKeys(c.cluster));
      for (let i = 0; i < 30 && !summaries.find((s) => s.nodeId === b!.node.nodeId && s.origins[a!.node.nodeId]); i += 1) {
        await sleep(100);
        summaries = await readLatency(redis, clusterKeys(c.cluster));
      }
      const fromA = summaries.find((s) => s.nodeId === b!.node.nodeId)?.origins[a!.node.nodeId];
      expect(fromA, 'node B reports latency of envelopes from node A').toBeDefined();
      expect(fromA!.count).toBeGreaterThan(0);
      expect(fromA!.p50).toBeGreaterThanOrEqual(0);
      expect(fromA!.p99).toBeGreaterThanOrEqual(fromA!.p50);
      expect(fromA!.max).toBeLessThan(1_000);
    } finally {
      redis.disconnect();
    }
    const metrics = await (await fetch(`${b!.url}/metrics`)).text();
    expect(metrics).toContain(`switchboard_bus_latency_samples_total{origin="${a!.node.nodeId}"`);
  });

  it('announces a post whose node died between commit and publish when the client retries, and only once otherwise', async () => {
    const [a, b] = c.nodes;
    const onB = await connectAuthenticated(b!.url, bob.token);
    sockets.push(onB);
    // What a node that died right after COMMIT leaves behind: the row, and no event.
    const db = new pg.Client({ connectionString: c.databaseUrl });
    await db.connect();
    const orphan = newId();
    await db.query(
      `INSERT INTO posts (id, create_at, update_at, user_id, channel_id, message, pending_post_id) VALUES ($1, $2, $2, $3, $4, 'orphaned by a crash', 'retry-1')`,
      [orphan, Date.now(), alice.userId, channelId],
    );
    await db.end();
    const retry = await via(alice, a!.url).post('/posts', { channel_id: channelId, message: 'orphaned by a crash', pending_post_id: 'retry-1' });
    expect(retry.body.id).toBe(orphan);
    await onB.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).id === orphan);
    // A post that was announced normally and then retried is delivered once.
    const first = await alice.post('/posts', { channel_id: channelId, message: 'sent once', pending_post_id: 'retry-2' });
    const again = await alice.post('/posts', { channel_id: channelId, message: 'sent once', pending_post_id: 'retry-2' });
    expect(again.body.id).toBe(first.body.id);
    const marker = await alice.post('/posts', { channel_id: channelId, message: 'marker after retries' });
    await onB.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).id === marker.body.id);
    expect(onB.events.filter((f) => f.event === 'posted' && JSON.parse(f.data.post).id === first.body.id)).toHaveLength(1);
  });

  it('gives a new connection_id when the connection is unknown to the cluster', async () => {
    const [, b] = c.nodes;
    const ws = await connectAuthenticated(b!.url, bob.token, { connectionId: newId(), sequence: 3 });
    sockets.push(ws);
    const hello = await ws.waitForEvent('hello');
    expect(hello.seq).toBe(0);
  });
});
