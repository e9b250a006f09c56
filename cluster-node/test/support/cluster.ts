import { newId, type NodeConfigInput } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { createTestDatabase } from './database.js';
import { startTestNode, type TestNode } from './node.js';

/** The Redis tests use: SB_TEST_REDIS_URL, or the local one on its standard port. */
export const CLUSTER_REDIS_URL = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Several in-process nodes over one fresh database and one Redis, in a cluster of their own. */
export interface TestCluster {
  nodes: TestNode[];
  cluster: string;
  secret: string;
  databaseUrl: string;
  redisUrl: string;
  /** Starts one more node in the same cluster. */
  add(overrides?: Partial<NodeConfigInput>): Promise<TestNode>;
  stop(): Promise<void>;
}

/**
 * Starts `count` nodes sharing a database and a Redis under a unique cluster name; `stop()`
 * stops them, drops the database and deletes the cluster's keys. With `redisSentinels` in
 * `overrides` the nodes reach Redis through those Sentinels instead of `redisUrl` (and the keys
 * are left to the Sentinel set's owner, who throws the whole set away).
 * @example const c = await startCluster(3); const [a, b, c3] = c.nodes;
 */
export async function startCluster(count: number, overrides: Partial<NodeConfigInput> = {}, redisUrl = CLUSTER_REDIS_URL): Promise<TestCluster> {
  const database = await createTestDatabase();
  const cluster = `t${newId()}`;
  const secret = `secret-${newId()}`;
  const nodes: TestNode[] = [];
  const add = async (extra: Partial<NodeConfigInput> = {}) => {
    const redis = overrides.redisSentinels ? {} : { redisUrl };
    const node = await startTestNode({ ...redis, cluster, clusterSecret: secret, nodeId: `n${nodes.length + 1}-${cluster.slice(1, 7)}`, ...overrides, ...extra }, database.url);
    nodes.push(node);
    return node;
  };
  for (let i = 0; i < count; i += 1) await add();
  return {
    nodes,
    cluster,
    secret,
    databaseUrl: database.url,
    redisUrl,
    add,
    async stop() {
      await Promise.allSettled(nodes.map((node) => node.stop()));
      await database.drop();
      if (overrides.redisSentinels) return;
      const redis = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `sb:${cluster}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
