import { clusterKeys, nodeConfigSchema, type ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configHash, listNodes, Registry, type RegistryDeps, type RegistryFigures } from '../src/cluster/registry.js';
import { createLogger } from '../src/logging/logger.js';
import { cleanupCluster, connectTestRedis, uniqueCluster, waitFor } from './support/redis.js';

const BEAT = 200;
const TTL = 3 * BEAT;
const log = createLogger({ level: 'silent', nodeId: 'test' });
const hash = configHash(nodeConfigSchema.parse({ databaseUrl: 'postgres://127.0.0.1/x' }));

let admin: Redis;
const clusters: string[] = [];
const clients: Redis[] = [];
const registries: Registry[] = [];

beforeAll(async () => {
  admin = await connectTestRedis();
});

afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.stop()));
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  for (const cluster of clusters) await cleanupCluster(admin, cluster);
  admin.disconnect();
});

function newKeys(): ClusterKeys {
  const cluster = uniqueCluster();
  clusters.push(cluster);
  return clusterKeys(cluster);
}

/** Live figures a test can change between beats. */
function liveFigures(id: string): { live: { connections: number; usersOnline: number }; entry: () => RegistryFigures } {
  const live = { connections: 0, usersOnline: 0 };
  const startedAt = Date.now();
  return {
    live,
    entry: () => ({
      id,
      host: `host-${id}`,
      httpAddress: 'http://127.0.0.1:8065',
      pid: process.pid,
      version: '0.1.0',
      schemaVersion: '1700000000001_cluster-fence',
      startedAt,
      connections: live.connections,
      usersOnline: live.usersOnline,
      configHash: hash,
    }),
  };
}

async function registry(keys: ClusterKeys, entry: () => RegistryFigures, options: Partial<RegistryDeps> = {}): Promise<Registry> {
  const redis = await connectTestRedis();
  clients.push(redis);
  const created = new Registry({ redis, keys, log, beatMs: BEAT, entry, ...options });
  registries.push(created);
  return created;
}

const ids = async (keys: ClusterKeys) => (await listNodes(admin, keys)).nodes.map((node) => node.id);

describe('registry', () => {
  it('lists every beating node with its live figures, one key per node with its own TTL', async () => {
    const keys = newKeys();
    const a = liveFigures('node-a');
    const b = liveFigures('node-b');
    await (await registry(keys, b.entry)).start();
    await (await registry(keys, a.entry)).start();
    const first = await listNodes(admin, keys);
    expect(first.invalid).toBe(0);
    expect(first.nodes.map((node) => [node.id, node.state, node.connections])).toEqual([
      ['node-a', 'starting', 0],
      ['node-b', 'starting', 0],
    ]);
    expect(first.nodes[0]).toMatchObject({ host: 'host-node-a', pid: process.pid, configHash: hash, schemaVersion: '1700000000001_cluster-fence' });
    const ttl = await admin.pttl(keys.node('node-a'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL);

    a.live.connections = 3;
    a.live.usersOnline = 2;
    const updated = await waitFor(async () => (await listNodes(admin, keys)).nodes.find((node) => node.id === 'node-a' && node.connections === 3), 2 * BEAT + 500);
    expect(updated.usersOnline).toBe(2);
    expect(updated.lastBeat).toBeGreaterThan(first.nodes[0]!.lastBeat);
  });

  it('a node that stops beating without cleaning up is gone after its TTL while the others stay', async () => {
    const keys = newKeys();
    const dead = await registry(keys, liveFigures('node-a').entry);
    await dead.start();
    await (await registry(keys, liveFigures('node-b').entry)).start();
    expect(await ids(keys)).toEqual(['node-a', 'node-b']);

    dead.crash();
    const crashedAt = Date.now();
    expect(await ids(keys)).toEqual(['node-a', 'node-b']);
    await waitFor(async () => (await ids(keys)).length === 1, TTL + 1_000);
    expect(Date.now() - crashedAt).toBeLessThanOrEqual(TTL + 200);
    expect(await ids(keys)).toEqual(['node-b']);
    await new Promise((resolve) => setTimeout(resolve, 2 * TTL));
    expect(await ids(keys)).toEqual(['node-b']);
  });

  it('a graceful stop removes the entry at once', async () => {
    const keys = newKeys();
    const a = await registry(keys, liveFigures('node-a').entry);
    await a.start();
    await (await registry(keys, liveFigures('node-b').entry)).start();
    await a.stop();
    expect(await ids(keys)).toEqual(['node-b']);
  });

  it('setState is visible at once, without waiting for the next beat', async () => {
    const keys = newKeys();
    const a = await registry(keys, liveFigures('node-a').entry, { beatMs: 60_000 });
    await a.start();
    await a.setState('active');
    expect((await listNodes(admin, keys)).nodes[0]?.state).toBe('active');
    await a.setState('draining');
    expect(a.state).toBe('draining');
    expect((await listNodes(admin, keys)).nodes[0]?.state).toBe('draining');
    expect(await admin.pttl(keys.node('node-a'))).toBeLessThanOrEqual(180_000);
  });

  it('skips and counts garbage under a node key', async () => {
    const keys = newKeys();
    await (await registry(keys, liveFigures('node-a').entry)).start();
    await admin.set(keys.node('junk'), 'not json', 'PX', 10_000);
    await admin.set(keys.node('wrong'), JSON.stringify({ id: 'wrong', state: 'dancing' }), 'PX', 10_000);
    const { nodes, invalid } = await listNodes(admin, keys);
    expect(nodes.map((node) => node.id)).toEqual(['node-a']);
    expect(invalid).toBe(2);
  });

  it('refuses to start with an invalid entry of its own, and writes nothing', async () => {
    const keys = newKeys();
    const good = liveFigures('node-a').entry;
    const bad = await registry(keys, () => ({ ...good(), httpAddress: '' }));
    await expect(bad.start()).rejects.toThrow();
    expect(await listNodes(admin, keys)).toEqual({ nodes: [], invalid: 0 });
  });
});
