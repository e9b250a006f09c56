import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api.js';
import { startCluster, type TestCluster } from './support/cluster.js';
import { connectAuthenticated, connectWs } from './support/ws-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('drain', () => {
  let c: TestCluster;
  let admin: ApiClient;

  beforeAll(async () => {
    c = await startCluster(2, { drainMs: 1_500, leaderTtlMs: 3_000 });
    admin = await c.nodes[0]!.user('admin');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('refuses pings, logins and upgrades with 503 + Retry-After, gives the lease up at once, and closes sockets with 1012', async () => {
    let leaderIndex = -1;
    for (let i = 0; i < 60 && leaderIndex < 0; i += 1) {
      leaderIndex = c.nodes.findIndex((t) => t.node.coordination!.lease.isLeader);
      if (leaderIndex < 0) await sleep(100);
    }
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const draining = c.nodes[leaderIndex]!;
    const other = c.nodes[1 - leaderIndex]!;
    const socket = await connectAuthenticated(draining.url, admin.token);
    const oldEpoch = draining.node.coordination!.lease.epoch!;

    const started = Date.now();
    const done = draining.node.drain();
    await sleep(50);
    const ping = await draining.anonymous().get('/system/ping');
    expect(ping.status).toBe(503);
    expect(ping.headers.get('retry-after')).toBe('1');
    expect(ping.body).toMatchObject({ status: 'UNHEALTHY', node_state: 'draining' });
    const login = await draining.anonymous().post('/users/login', { login_id: 'admin', password: 'correct-horse-battery' });
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toBe('1');
    expect(login.body.id).toBe('api.context.draining.app_error');
    await expect(connectWs(draining.url)).rejects.toMatchObject({ status: 503 });

    // The lease is released, so the other node need not wait out the 3 s TTL.
    while (!other.node.coordination!.lease.isLeader && Date.now() - started < 3_000) await sleep(20);
    expect(other.node.coordination!.lease.isLeader).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(other.node.coordination!.lease.epoch!).toBeGreaterThan(oldEpoch);

    expect(await socket.closed(3_000)).toBe(1012);
    await done;
    expect(draining.node.state).toBe('draining');
    const nodes = (await other.anonymous().request('GET', '/cluster/status', undefined, { authorization: `Bearer ${admin.token}` })).body as Array<{ id: string }>;
    expect(nodes.map((n) => n.id)).toEqual([other.node.nodeId]);
  });
});
