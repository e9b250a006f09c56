import { isSwitchboardError, newId } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/store/db.js';
import { fencedWrite } from '../src/store/fence.store.js';
import { ApiClient } from './support/api.js';
import { CLUSTER_REDIS_URL } from './support/cluster.js';
import { createTestDatabase } from './support/database.js';
import { freePort, spawnNode, type NodeProcess } from './support/process.js';
import { connectAuthenticated, type WsClient } from './support/ws-client.js';

const TTL_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface NodeInfo {
  id: string;
  is_leader: boolean;
  leader_epoch: number;
  state: string;
}

describe('SIGKILL of the leader (real processes)', () => {
  let drop: () => Promise<void>;
  let db: Db;
  let nodes: NodeProcess[] = [];
  let admin: ApiClient;
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    db = createDb({ url: database.url, max: 2 });
    const base = { SB_DATABASE_URL: database.url, SB_REDIS_URL: CLUSTER_REDIS_URL, SB_CLUSTER: `t${newId()}`, SB_CLUSTER_SECRET: `s-${newId()}`, SB_LEADER_TTL_MS: String(TTL_MS), SB_LOG_LEVEL: 'warn' };
    const ports = await Promise.all([1, 2, 3].map(() => freePort()));
    nodes = await Promise.all(ports.map((port, i) => spawnNode({ ...base, SB_LISTEN: `127.0.0.1:${port}`, SB_NODE_ID: `l${i + 1}` })));
    admin = new ApiClient(nodes[0]!.url);
    await admin.post('/users', { username: 'admin', email: 'admin@example.com', password: 'admin-password' });
    await admin.login('admin', 'admin-password');
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.socket.terminate();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await db?.close();
    await drop?.();
  });

  async function status(via: NodeProcess): Promise<NodeInfo[]> {
    const client = new ApiClient(via.url);
    client.token = admin.token;
    const res = await client.get('/cluster/status');
    expect(res.status).toBe(200);
    return res.body as NodeInfo[];
  }

  it('hands the lease to a survivor within TTL + 1 s with a higher epoch, fences the old epoch, and reaps the dead node', async () => {
    let view: NodeInfo[] = [];
    for (let i = 0; i < 50 && view.filter((n) => n.is_leader).length !== 1; i += 1) {
      view = await status(nodes[0]!);
      if (view.filter((n) => n.is_leader).length !== 1) await sleep(100);
    }
    expect(view.map((n) => n.id).sort()).toEqual(['l1', 'l2', 'l3']);
    expect(view.every((n) => n.state === 'active')).toBe(true);
    const leader = view.find((n) => n.is_leader)!;
    const oldEpoch = leader.leader_epoch;
    const leaderIndex = Number(leader.id.slice(1)) - 1;
    const survivors = nodes.filter((_, i) => i !== leaderIndex);

    // One user only on the leader (goes offline when it dies), one also on a survivor (stays online).
    const lonely = new ApiClient(survivors[0]!.url);
    await lonely.post('/users', { username: 'lonely', email: 'lonely@example.com', password: 'lonely-password' });
    await lonely.login('lonely', 'lonely-password');
    const both = new ApiClient(survivors[0]!.url);
    await both.post('/users', { username: 'both', email: 'both@example.com', password: 'both-password' });
    await both.login('both', 'both-password');
    sockets.push(await connectAuthenticated(nodes[leaderIndex]!.url, lonely.token));
    sockets.push(await connectAuthenticated(nodes[leaderIndex]!.url, both.token));
    sockets.push(await connectAuthenticated(survivors[1]!.url, both.token));
    const reader = new ApiClient(survivors[0]!.url);
    reader.token = admin.token;
    const statusOf = async (userId: string) => (await reader.get(`/users/${userId}/status`)).body.status as string;
    for (let i = 0; i < 50 && (await statusOf(lonely.userId)) !== 'online'; i += 1) await sleep(100);
    expect(await statusOf(lonely.userId)).toBe('online');

    const killedAt = Date.now();
    await nodes[leaderIndex]!.stop('SIGKILL');
    let successor: NodeInfo | undefined;
    while (!successor && Date.now() - killedAt < TTL_MS + 3_000) {
      successor = (await status(survivors[0]!)).find((n) => n.is_leader && n.id !== leader.id);
      if (!successor) await sleep(50);
    }
    const takeover = Date.now() - killedAt;
    expect(successor, 'a survivor holds the lease').toBeDefined();
    expect(takeover).toBeLessThanOrEqual(TTL_MS + 1_000);
    expect(successor!.leader_epoch).toBeGreaterThan(oldEpoch);

    // The new leader reaps the dead node's presence (a fenced write) once its registry entry expires.
    for (let i = 0; i < 100 && (await statusOf(lonely.userId)) !== 'offline'; i += 1) await sleep(100);
    expect(await statusOf(lonely.userId)).toBe('offline');
    expect(await statusOf(both.userId)).toBe('online');
    expect((await status(survivors[0]!)).map((n) => n.id).sort()).toEqual(['l1', 'l2', 'l3'].filter((id) => id !== leader.id));

    const refused = await fencedWrite(db, 'presence-reaper', oldEpoch, async () => 'written').catch((err: unknown) => err);
    expect(isSwitchboardError(refused) && refused.id).toBe('cluster.fence.stale');
    expect(await fencedWrite(db, 'presence-reaper', successor!.leader_epoch, async () => 'written')).toBe('written');
  }, 60_000);
});
