import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api.js';
import { startCluster, type TestCluster } from './support/cluster.js';
import { startPrivateRedis, type PrivateRedis } from './support/redis-server.js';
import { connectAuthenticated, type WsClient } from './support/ws-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a Redis restart under steady posting', () => {
  let redis: PrivateRedis;
  let c: TestCluster;
  let alice: ApiClient;
  let channelId: string;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    c = await startCluster(3, {}, redis.url);
    alice = await c.nodes[0]!.user('alice');
    const team = await alice.post('/teams', { name: 'outage', display_name: 'Outage', type: 'O' });
    const channel = await alice.post('/channels', { team_id: team.body.id, name: 'steady', display_name: 'Steady', type: 'O' });
    channelId = channel.body.id;
    for (const [i, node] of c.nodes.entries()) {
      const user = await node.user(`watcher${i}`);
      await alice.post(`/teams/${team.body.id}/members`, { team_id: team.body.id, user_id: user.userId });
      await alice.post(`/channels/${channelId}/members`, { user_id: user.userId });
      sockets.push(await connectAuthenticated(node.url, user.token));
    }
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.socket.terminate();
    await c?.stop();
    await redis?.stop();
  });

  it('loses no acknowledged post: nodes keep serving, buffer, report redis unreachable, then flush', async () => {
    const sent: string[] = [];
    let unreachableSeen = false;
    const posting = (async () => {
      for (let i = 0; i < 50; i += 1) {
        const message = `r${String(i).padStart(3, '0')}`;
        const res = await alice.post('/posts', { channel_id: channelId, message });
        expect(res.status).toBe(201);
        sent.push(message);
        await sleep(40);
      }
    })();
    await sleep(500);
    await redis.kill();
    await sleep(300);
    const ping = await c.nodes[1]!.anonymous().get('/system/ping');
    expect(ping.status).toBe(200);
    unreachableSeen = ping.body.redis === 'unreachable';
    await sleep(500);
    await redis.start();
    await posting;
    expect(unreachableSeen).toBe(true);
    const last = sent.at(-1)!;
    for (const ws of sockets) await ws.waitFor((f) => f.event === 'posted' && JSON.parse(f.data.post).message === last, 15_000);
    for (const [i, ws] of sockets.entries()) {
      const received = ws.events.filter((f) => f.event === 'posted').map((f) => JSON.parse(f.data.post).message as string);
      expect(received, `watcher${i}`).toEqual(sent);
    }
    await sleep(200);
    expect((await c.nodes[1]!.anonymous().get('/system/ping')).body.redis).toBe('ok');
  }, 60_000);
});
