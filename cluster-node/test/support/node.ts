import { PassThrough } from 'node:stream';
import { nodeConfigSchema, type NodeConfigInput } from '@switchboard/shared';
import { createLogger } from '../../src/logging/logger.js';
import { createNode, type SwitchboardNode } from '../../src/node.js';
import { ApiClient } from './api.js';
import { createTestDatabase } from './database.js';

/** A started node on a free loopback port over its own empty database, and its log lines. */
export interface TestNode {
  node: SwitchboardNode;
  url: string;
  databaseUrl: string;
  logs: string[];
  /** An unauthenticated client for this node. */
  anonymous(): ApiClient;
  /** Signs a user up and logs them in; returns their client (token set) and user. */
  user(username: string, password?: string): Promise<ApiClient>;
  stop(): Promise<void>;
}

/**
 * Starts a node for a test. Limits are generous unless the test overrides them.
 * @example const t = await startTestNode(); const alice = await t.user('alice');
 */
export async function startTestNode(overrides: Partial<NodeConfigInput> = {}, existingDatabaseUrl?: string): Promise<TestNode> {
  const database = existingDatabaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = existingDatabaseUrl ?? database!.url;
  const config = Object.freeze(
    nodeConfigSchema.parse({
      nodeId: `test-${Math.random().toString(36).slice(2, 8)}`,
      listen: '127.0.0.1:0',
      databaseUrl,
      databasePoolSize: 5,
      rateLimitPerUser: 10_000,
      rateLimitPerIp: 10_000,
      wsActionsPerSecond: 1_000,
      logLevel: 'info',
      ...overrides,
    }),
  );
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const log = createLogger({ level: config.logLevel, nodeId: config.nodeId!, destination: sink });
  const node = createNode(config, log);
  await node.start();
  const url = node.url;
  return {
    node,
    url,
    databaseUrl,
    logs,
    anonymous: () => new ApiClient(url),
    async user(username, password = 'correct-horse-battery') {
      const client = new ApiClient(url);
      const created = await client.post('/users', { username, email: `${username}@example.com`, password });
      if (created.status !== 201) throw new Error(`sign-up of ${username} failed: ${created.status} ${JSON.stringify(created.body)}`);
      await client.login(username, password);
      return client;
    },
    async stop() {
      await node.stop();
      await database?.drop();
    },
  };
}
