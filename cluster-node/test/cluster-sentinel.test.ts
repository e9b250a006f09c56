import { clusterKeys, parseLeaderHolder } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNodes } from '../src/cluster/registry.js';
import { verifyFrame } from '../src/cluster/signing.js';
import { ApiClient } from './support/api.js';
import { startCluster, type TestCluster } from './support/cluster.js';
import { connectOfficial, type OfficialSocket } from './support/official-client.js';
import { startSentinelSet, type SentinelSet, type Switch } from './support/redis-sentinel.js';
import { connectAuthenticated, connectWs } from './support/ws-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Three in-process nodes reaching Redis only through three Sentinels (a primary and one
 * replica), official WebSocket clients on every node, and numbered posts through REST on every
 * node in turn while the primary is switched by SENTINEL FAILOVER and then SIGKILLed.
 */
describe('Redis primary failover under Sentinel (three nodes, steady posting)', () => {
  let set: SentinelSet;
  let c: TestCluster;
  let alice: ApiClient;
  let channelId: string;
  let teamId: string;
  const sockets: Array<{ socket: OfficialSocket; node: string; api: ApiClient }> = [];

  beforeAll(async () => {
    set = await startSentinelSet();
    c = await startCluster(3, { redisSentinels: set.sentinelList.split(','), redisSentinelMaster: set.masterName, leaderTtlMs: 1_500 });
    alice = await c.nodes[0]!.user('alice');
    const team = await alice.post('/teams', { name: 'sentinel', display_name: 'Sentinel', type: 'O' });
    const channel = await alice.post('/channels', { team_id: team.body.id, name: 'steady', display_name: 'Steady', type: 'O' });
    channelId = channel.body.id;
    teamId = team.body.id;
    for (const [i, node] of c.nodes.entries()) {
      for (const k of [0, 1]) {
        const user = await node.user(`watcher${i}${k}`);
        await alice.post(`/teams/${team.body.id}/members`, { team_id: team.body.id, user_id: user.userId });
        await alice.post(`/channels/${channelId}/members`, { user_id: user.userId });
        sockets.push({ socket: connectOfficial(node.url, user.token, { retryMs: 50 }), node: node.node.nodeId, api: user });
      }
    }
    await Promise.all(sockets.map(({ socket }) => socket.next('hello')));
  }, 60_000);

  afterAll(async () => {
    for (const { socket } of sockets) socket.close();
    await c?.stop();
    await set?.stop();
  });

  it('delivers every acknowledged post to every client once and in order through a SENTINEL FAILOVER and a primary kill; one leader, registry and presence recover', async () => {
    // One poster per node, each posting its own numbered messages in turn (as the drills' probes do).
    const posters = await Promise.all(
      c.nodes.map(async (node, i) => {
        const user = await node.user(`poster${i}`);
        await alice.post(`/teams/${teamId}/members`, { team_id: teamId, user_id: user.userId });
        await alice.post(`/channels/${channelId}/members`, { user_id: user.userId });
        return { api: user, name: `p${i}`, sent: [] as string[], ids: [] as string[] };
      }),
    );
    let stop = false;
    const posting = Promise.all(
      posters.map(async (poster) => {
        for (let i = 0; !stop; i += 1) {
          const message = `${poster.name}-${String(i).padStart(4, '0')}`;
          let id: string | undefined;
          // A request that fails is retried with the same pending_post_id (created at most once).
          for (let attempt = 0; attempt < 20 && !id; attempt += 1) {
            const res = await poster.api.post('/posts', { channel_id: channelId, message, pending_post_id: `${poster.api.userId}:${message}` }).catch(() => undefined);
            if (res?.status === 201) id = res.body.id as string;
            else await sleep(100);
          }
          if (!id) throw new Error(`post ${message} was never acknowledged`);
          poster.sent.push(message);
          poster.ids.push(id);
          await sleep(60);
        }
      }),
    );
    // A client that leaves before the failover and comes back after it, on another node.
    const early = await connectAuthenticated(c.nodes[0]!.url, alice.token);
    const earlyId = (await early.waitForEvent('hello')).data.connection_id as string;
    await early.waitForEvent('posted', 3, 5_000);
    await sleep(600); // its checkpoint is written
    await early.close();
    // sequence_number is the next seq the client expects, as Mattermost clients send it.
    const earlySeq = Math.max(...early.events.map((f) => f.seq!)) + 1;
    const switches: Switch[] = [];
    await sleep(800);
    switches.push(await set.failover());
    await sleep(800);
    switches.push(await set.killPrimary());
    await sleep(800);
    stop = true;
    await posting;
    for (const s of switches) expect(s.to.port).not.toBe(s.from.port);
    // The stream was rewritten under its checkpoint (entries lost, published again further on):
    // the resume is refused the Mattermost way, a new connection id, and the client backfills.
    const back = await connectWs(c.nodes[1]!.url, { token: alice.token, connectionId: earlyId, sequence: earlySeq });
    const hello = await back.waitForEvent('hello');
    expect(hello.data.connection_id).not.toBe(earlyId);
    const refusals = c.nodes[1]!.logs.filter((line) => line.includes('remote resume refused'));
    expect(refusals.some((line) => line.includes('"reason":"stream_rewritten"')), refusals.join('\n')).toBe(true);
    back.socket.terminate();
    const sent = posters.flatMap((p) => p.sent);
    expect(Math.min(...posters.map((p) => p.sent.length))).toBeGreaterThan(10);

    await Promise.all(
      sockets.flatMap(({ socket }) => posters.map((p) => socket.next('posted', (m) => JSON.parse(m.data.post as string).message === p.sent.at(-1), 20_000))),
    );
    const summary: string[] = [];
    const failures: string[] = [];
    for (const { socket, node, api } of sockets) {
      const received = socket.messages.filter((m) => m.event === 'posted').map((m) => JSON.parse(m.data.post as string).message as string);
      const duplicated = received.filter((m, k) => received.indexOf(m) !== k);
      const missing = sent.filter((m) => !received.includes(m));
      // A client told it missed messages (new connection id in hello) backfills with `since`, as Mattermost's does.
      let recovered: string[] = [];
      if (socket.missed > 0 && missing.length > 0) {
        const backfill = await api.get(`/channels/${channelId}/posts?since=1`);
        const posts = Object.values(backfill.body.posts as Record<string, { message: string }>).map((p) => p.message);
        recovered = missing.filter((m) => posts.includes(m));
      }
      const lost = missing.filter((m) => !recovered.includes(m));
      // Each poster's messages arrive in the order it posted them.
      const reordered = posters.flatMap((p) => {
        const got = received.filter((m) => m.startsWith(`${p.name}-`));
        return got.filter((m, k) => k > 0 && m < got[k - 1]!);
      });
      summary.push(`client on ${node}: received ${received.length}, lost ${lost.length}, duplicated ${duplicated.length}, reordered ${reordered.length}, recovered ${recovered.length}, reconnects ${socket.reconnects}, told missed ${socket.missed}`);
      if (lost.length + duplicated.length + reordered.length > 0) failures.push(`client on ${node}: lost ${lost} duplicated ${duplicated} reordered ${reordered}`);
    }
    const notable = c.nodes.flatMap((n) => n.logs.filter((line) => /"level":(40|50)/.test(line) && /bus|gap|publish|resync|leader/.test(line)).map((line) => `${n.node.nodeId} ${line.slice(0, 300)}`));
    console.info(
      `sentinel failover: ${sent.length} posts; switches ${switches.map((s) => `${s.from.port}->${s.to.port} in ${s.tookMs} ms`).join(', ')}\n  ${summary.join('\n  ')}\n  ${notable.join('\n  ')}`,
    );
    expect(failures).toEqual([]);

    // The cluster recovers: one leader (the lease in Redis names it), every node in the registry, presence of every watcher.
    const keys = clusterKeys(c.cluster);
    const redis = await set.connectPrimary();
    try {
      const leader = await eventually('exactly one leader, named by the lease', 15_000, async () => {
        const leaders = c.nodes.filter((n) => n.node.coordination!.lease.isLeader);
        const holder = parseLeaderHolder(await redis.get(keys.leader));
        return leaders.length === 1 && holder?.nodeId === leaders[0]!.node.nodeId ? holder : undefined;
      });
      expect(c.nodes.map((n) => n.node.nodeId)).toContain(leader.nodeId);
      await eventually('every node active in the registry', 15_000, async () => {
        const { nodes } = await listNodes(redis, keys);
        return nodes.length === 3 && nodes.every((n) => n.state === 'active') ? true : undefined;
      });
      let totals: Record<string, string> = {};
      await eventually('every watcher online in cluster presence', 15_000, async () => {
        totals = await redis.hgetall(keys.presenceUsers);
        return sockets.every(({ api }) => Number(totals[api.userId]) === 1) ? true : undefined;
      }).catch((err: Error) => {
        throw new Error(`${err.message}: totals ${JSON.stringify(totals)}, watchers ${sockets.map(({ api }) => api.userId).join(',')}`);
      });
      // The stream the new primary holds still has every acknowledged post (what a failover lost
      // with the old primary's last writes was published again), so resume and repair can rely on it.
      const entries = (await redis.xrange(keys.stream, '-', '+')) as Array<[string, string[]]>;
      const announced = new Set(
        entries.flatMap(([, fields]) => {
          const payload = verifyFrame(c.secret, fields[1] ?? '');
          const envelope = payload ? (JSON.parse(payload) as { id: string; kind: string }) : undefined;
          return envelope?.kind === 'posted' ? [envelope.id] : [];
        }),
      );
      const missingFromStream = posters.flatMap((p) => p.ids.filter((id) => !announced.has(id)));
      expect(missingFromStream, 'acknowledged posts the stream no longer holds').toEqual([]);
      for (const node of c.nodes) expect((await node.anonymous().get('/system/ping')).body.redis).toBe('ok');
    } finally {
      redis.disconnect();
    }
  }, 90_000);
});
