import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/store/migrate.js';
import { createTestDatabase } from './support/database.js';
import { freePort, spawnNode } from './support/process.js';

describe('switchboard-node configuration', () => {
  it('stops at start with one line naming a missing setting', async () => {
    const proc = await spawnNode({ SB_LISTEN: '127.0.0.1:1' }, { waitReady: false });
    expect(await proc.exited).toBe(2);
    expect(proc.output().trim()).toBe('switchboard-node: invalid configuration: SB_DATABASE_URL (databaseUrl) is required');
  });

  it('names the bad setting and what is wrong with it', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ SB_DATABASE_URL: 'mysql://x', SB_LISTEN: '127.0.0.1:1' }, /SB_DATABASE_URL \(databaseUrl\) must be a postgres:\/\//],
      [{ SB_DATABASE_URL: 'postgres://x/y', SB_LISTEN: 'nowhere' }, /SB_LISTEN \(listen\) must be host:port/],
      [{ SB_DATABASE_URL: 'postgres://x/y', SB_REDIS_URL: 'redis://127.0.0.1:6379' }, /SB_CLUSTER_SECRET \(clusterSecret\) is required when redisUrl/],
      [{ SB_DATABASE_URL: 'postgres://x/y', SB_ENABLE_OPEN_SIGNUP: 'maybe' }, /SB_ENABLE_OPEN_SIGNUP="maybe" must be true or false/],
      [{ SB_DATABASE_URL: 'postgres://x/y', SB_NODE_ID: 'Bad Id; rm -rf /' }, /SB_NODE_ID \(nodeId\) must be 1-63 lowercase/],
    ];
    for (const [env, expected] of cases) {
      const proc = await spawnNode(env, { waitReady: false });
      expect(await proc.exited).toBe(2);
      const lines = proc.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
    }
  });

  it('three nodes starting at once against an empty database migrate it exactly once and all serve', async () => {
    const database = await createTestDatabase();
    try {
      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      const nodes = await Promise.all(
        ports.map((port, i) => spawnNode({ SB_DATABASE_URL: database.url, SB_LISTEN: `127.0.0.1:${port}`, SB_NODE_ID: `m${i}`, SB_LOG_LEVEL: 'warn', SB_DRAIN_MS: '200' })),
      );
      for (const proc of nodes) {
        const res = await fetch(`${proc.url}/api/v4/system/ping?get_server_status=true`);
        expect(await res.json()).toMatchObject({ status: 'OK', database_status: 'OK' });
      }
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('SELECT name FROM pgmigrations');
      await client.end();
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')).sort();
      expect(files.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.name).sort()).toEqual(files);
      const codes = await Promise.all(nodes.map((proc) => proc.stop('SIGTERM')));
      expect(codes).toEqual([0, 0, 0]);
    } finally {
      await database.drop();
    }
  });
});
