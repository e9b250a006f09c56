import { createServer, type Server, type Socket } from 'node:net';
import { clusterProfileSchema, isSwitchboardError, statusReportSchema, type ClusterProfile } from '@switchboard/shared';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests drive real nodes through the node's test support; the product code never imports cluster-node.
import { startCluster, type TestCluster } from '../../cluster-node/test/support/cluster.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { collectStatus } from '../src/core/status/collect-status.js';
import { renderStatusText } from '../src/core/status/status-report.js';
import { leakedSince, openHandles } from './support/open-handles.js';

const log = pino({ level: 'silent' });
const baseline = openHandles();

afterAll(async () => {
  // Every connection, socket, timer and child process the suite opened is closed again.
  expect(await leakedSince(baseline)).toEqual({});
});

function profileFor(cluster: string, redisUrl: string, postgresUrl: string, extra: Partial<ClusterProfile> = {}): ClusterProfile {
  return clusterProfileSchema.parse({ name: 'test', cluster, redis: { url: redisUrl }, postgres: { url: postgresUrl }, ...extra });
}

/** A TCP server that accepts connections and never says a word (a hung Redis or Postgres). */
async function startSilentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('switchboard status against a live three-node cluster', () => {
  let c: TestCluster;

  beforeAll(async () => {
    c = await startCluster(3);
  });

  afterAll(async () => {
    await c?.stop();
  });

  it('reports every node, the one leader, and Redis and Postgres ok', async () => {
    const report = await collectStatus(profileFor(c.cluster, c.redisUrl, c.databaseUrl), { log });
    expect(statusReportSchema.parse(report)).toEqual(report);
    expect(report.redis).toBe('ok');
    expect(report.postgres).toBe('ok');
    expect(report.nodes.map((n) => n.id)).toEqual(c.nodes.map((n) => n.node.nodeId).sort());
    const leaders = report.nodes.filter((n) => n.is_leader);
    expect(leaders).toHaveLength(1);
    expect(report.leader?.id).toBe(leaders[0]!.id);
    expect(c.nodes.find((n) => n.node.nodeId === report.leader!.id)!.node.coordination!.lease.epoch).toBe(report.leader!.epoch);
    for (const node of report.nodes) {
      expect(node).toMatchObject({ state: 'active', connections: 0, usersOnline: 0, httpAddress: c.nodes.find((n) => n.node.nodeId === node.id)!.url });
      expect(node.lastBeatAgeMs).toBeLessThan(3_000);
    }

    const text = renderStatusText(report);
    expect(text).not.toContain('\x1b[');
    expect(text.split('\n')[0]).toBe(`redis ok   postgres ok   leader ${report.leader!.id} (epoch ${report.leader!.epoch})`);
    for (const node of report.nodes) expect(text).toContain(node.id);
  });

  it('resolves the secrets the profile names, and refuses one it cannot resolve', async () => {
    const asked: string[] = [];
    const profile = profileFor(c.cluster, c.redisUrl, c.databaseUrl, { postgres: { url: c.databaseUrl, passwordSecret: 'PG_PASSWORD' } });
    const report = await collectStatus(profile, { log, resolveSecret: (name) => (asked.push(name), 'unused-under-trust-auth') });
    expect(asked).toEqual(['PG_PASSWORD']);
    expect(report.postgres).toBe('ok');
    const refused = await collectStatus(profile, { log }).catch((err: unknown) => err);
    expect(isSwitchboardError(refused) && refused.id).toBe('console.invalid_argument');
    expect(isSwitchboardError(refused) && refused.detail).toContain('PG_PASSWORD');
  });
});

describe('switchboard status when nothing answers', () => {
  it('reports Redis and Postgres unreachable when their ports are closed', async () => {
    const [redisPort, postgresPort] = [await freePort(), await freePort()];
    const started = Date.now();
    const report = await collectStatus(profileFor('nowhere', `redis://127.0.0.1:${redisPort}`, `postgres://postgres@127.0.0.1:${postgresPort}/postgres`), { log, timeoutMs: 2_000 });
    expect(report).toEqual({ nodes: [], leader: null, redis: 'unreachable', postgres: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(renderStatusText(report)).toContain('nodes unknown: redis is unreachable');
  });

  it('gives up on servers that accept but never answer, within the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const url = `127.0.0.1:${silent.port}`;
      const started = Date.now();
      const report = await collectStatus(profileFor('hung', `redis://${url}`, `postgres://postgres@${url}/postgres`), { log, timeoutMs: 1_000 });
      expect(report).toEqual({ nodes: [], leader: null, redis: 'unreachable', postgres: 'unreachable' });
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await silent.close();
    }
  });
});
