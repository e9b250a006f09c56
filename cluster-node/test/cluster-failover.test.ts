import { newId } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api.js';
import { startBalancer, type Balancer } from './support/balancer.js';
import { CLUSTER_REDIS_URL } from './support/cluster.js';
import { createTestDatabase } from './support/database.js';
import { connectOfficial, type OfficialSocket } from './support/official-client.js';
import { freePort, spawnNode, type NodeProcess } from './support/process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Four node processes over one database and Redis, official clients reconnecting through a
 * balancer, and a steady stream of numbered posts while the leader and another node are SIGKILLed
 * and a third drains.
 */
describe('failover under steady posting (real processes, official clients, a balancer)', () => {
  let drop: () => Promise<void>;
  let nodes: NodeProcess[] = [];
  let balancer: Balancer;
  let alice: ApiClient;
  let channelId: string;
  const sockets: OfficialSocket[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const cluster = `t${newId()}`;
    const base = { SB_DATABASE_URL: database.url, SB_REDIS_URL: CLUSTER_REDIS_URL, SB_CLUSTER: cluster, SB_CLUSTER_SECRET: `s-${newId()}`, SB_DRAIN_MS: '1000', SB_LOG_LEVEL: 'warn' };
    const ports = await Promise.all([1, 2, 3, 4].map(() => freePort()));
    nodes = await Promise.all(ports.map((port, i) => spawnNode({ ...base, SB_LISTEN: `127.0.0.1:${port}`, SB_NODE_ID: `f${i + 1}` })));
    balancer = await startBalancer(nodes.map((n) => n.url));
    alice = new ApiClient(nodes[0]!.url);
    await alice.post('/users', { username: 'alice', email: 'alice@example.com', password: 'alice-password' });
    await alice.login('alice', 'alice-password');
    const team = await alice.post('/teams', { name: 'failover', display_name: 'Failover', type: 'O' });
    const channel = await alice.post('/channels', { team_id: team.body.id, name: 'steady', display_name: 'Steady', type: 'O' });
    channelId = channel.body.id;
    for (let i = 0; i < 8; i += 1) {
      const user = new ApiClient(nodes[0]!.url);
      await user.post('/users', { username: `watcher${i}`, email: `w${i}@example.com`, password: 'watcher-password' });
      await user.login(`watcher${i}`, 'watcher-password');
      await alice.post(`/teams/${team.body.id}/members`, { team_id: team.body.id, user_id: user.userId });
      await alice.post(`/channels/${channelId}/members`, { user_id: user.userId });
      sockets.push(connectOfficial(balancer.url, user.token, { retryMs: 50 }));
    }
    await Promise.all(sockets.map((s) => s.next('hello')));
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await balancer?.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await drop?.();
  });

  /** Posts through the balancer; a request cut by a dying node is retried with the same pending_post_id. */
  async function postOnce(poster: ApiClient, message: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const res = await poster.post('/posts', { channel_id: channelId, message, pending_post_id: `${alice.userId}:${message}` }).catch(() => undefined);
      if (res?.status === 201) return;
      await sleep(50);
    }
    throw new Error(`post ${message} was never acknowledged`);
  }

  it('keeps every client stream whole through a SIGKILL of the leader, a SIGKILL of another node and a drain: nothing lost, duplicated or reordered', async () => {
    const hosts = sockets.map((s) => s.messages.find((m) => m.event === 'hello')!.data.server_hostname as string);
    expect(new Set(hosts)).toEqual(new Set(['f1', 'f2', 'f3', 'f4']));
    const leaderId = ((await alice.get('/cluster/status')).body as Array<{ id: string; is_leader: boolean }>).find((n) => n.is_leader)!.id;
    const leaderIndex = Number(leaderId.slice(1)) - 1;
    const [killIndex, drainIndex] = [1, 2, 3, 0].filter((i) => i !== leaderIndex) as [number, number];
    const poster = new ApiClient(balancer.url);
    poster.token = alice.token;
    const total = 60;
    const sent: string[] = [];
    const posting = (async () => {
      for (let i = 0; i < total; i += 1) {
        const message = `m${String(i).padStart(3, '0')}`;
        await postOnce(poster, message);
        sent.push(message);
        await sleep(40);
      }
    })();
    await sleep(600);
    await nodes[leaderIndex]!.stop('SIGKILL');
    await sleep(600);
    await nodes[killIndex]!.stop('SIGKILL');
    await sleep(600);
    const drained = nodes[drainIndex]!.stop('SIGTERM');
    await posting;
    expect(await drained).toBe(0);
    const last = sent.at(-1)!;
    await Promise.all(sockets.map((s) => s.next('posted', (m) => JSON.parse(m.data.post as string).message === last, 15_000)));
    for (const [i, socket] of sockets.entries()) {
      const received = socket.messages.filter((m) => m.event === 'posted').map((m) => JSON.parse(m.data.post as string).message as string);
      const missing = sent.filter((m) => !received.includes(m));
      const extra = received.filter((m, k) => received.indexOf(m) !== k);
      expect(received, `watcher${i} on ${hosts[i]} (killed ${leaderIndex + 1},${killIndex + 1}; drained ${drainIndex + 1}); missing ${missing}; duplicated ${extra}; reconnects ${socket.reconnects}`).toEqual(sent);
      expect(socket.missed, `watcher${i} was told it missed messages`).toBe(0);
    }
    const gone = new Set([leaderIndex, killIndex, drainIndex].map((i) => `f${i + 1}`));
    const moved = sockets.filter((_, i) => gone.has(hosts[i]!));
    for (const socket of moved) expect(socket.reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
