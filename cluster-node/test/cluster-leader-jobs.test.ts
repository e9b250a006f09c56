import { newId } from '@switchboard/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from './support/cluster.js';

describe('leader jobs', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster(2);
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('the leader deletes expired sessions, fenced by its epoch, and leaves live ones', async () => {
    const user = await c.nodes[0]!.user('keeper');
    const db = new pg.Client({ connectionString: c.databaseUrl });
    await db.connect();
    try {
      const expired = newId();
      await db.query(`INSERT INTO sessions (id, token_hash, user_id, create_at, expires_at, last_activity_at) VALUES ($1, $2, $3, 1, 2, 1)`, [expired, `h${expired}`, user.userId]);
      let left = 1;
      for (let i = 0; i < 50 && left > 0; i += 1) {
        left = (await db.query('SELECT 1 FROM sessions WHERE id = $1', [expired])).rowCount ?? 0;
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(left).toBe(0);
      expect((await user.get('/users/me')).status).toBe(200);
      const fence = await db.query<{ epoch: string }>(`SELECT epoch FROM cluster_fence WHERE name = 'session-retention'`);
      const leader = c.nodes.find((t) => t.node.coordination!.lease.isLeader)!;
      expect(Number(fence.rows[0]!.epoch)).toBe(leader.node.coordination!.lease.epoch);
    } finally {
      await db.end();
    }
  });
});
