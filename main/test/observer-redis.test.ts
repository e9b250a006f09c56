import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterKeys, isSwitchboardError, newId } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests drive real nodes through the node's test support; the product code never imports cluster-node.
import { startCluster, type TestCluster } from '../../cluster-node/test/support/cluster.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { startPrivateRedis, type PrivateRedis } from '../../cluster-node/test/support/redis-server.js';
import { ClusterObserver } from '../src/core/observer/observer.js';
import { LiveView, sleep } from './support/live-view.js';
import { leakedSince, openHandles } from './support/open-handles.js';

const log = pino({ level: 'silent' });
const baseline = openHandles();

afterAll(async () => {
  // Every connection, socket, timer and child process the suite opened is closed again.
  expect(await leakedSince(baseline)).toEqual({});
});

/** A Redis Sentinel (redis-server --sentinel) of the test's own, monitoring `masterPort` as `sbmaster`. */
async function startSentinel(masterPort: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sentinel-'));
  const port = await freePort();
  writeFileSync(join(dir, 'sentinel.conf'), `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor sbmaster 127.0.0.1 ${masterPort} 1\n`);
  const child = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    for (let i = 0; ; i += 1) {
      const master = await probe.call('SENTINEL', 'get-master-addr-by-name', 'sbmaster').catch(() => null);
      if (Array.isArray(master) && master[1] === String(masterPort)) break;
      if (i > 100) throw new Error('sentinel did not start');
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    probe.disconnect();
  }
  return { port, stop };
}

describe('ClusterObserver over a private redis-server: through Sentinel, and through an outage', () => {
  let redis: PrivateRedis;
  let sentinel: Awaited<ReturnType<typeof startSentinel>>;
  let c: TestCluster;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    sentinel = await startSentinel(redis.port);
    c = await startCluster(1, {}, redis.url);
  });

  afterAll(async () => {
    await c?.stop();
    await sentinel?.stop();
    await redis?.stop();
  });

  it('finds the master through Sentinel and observes the cluster there', async () => {
    const observer = new ClusterObserver({ redis: { sentinels: [{ host: '127.0.0.1', port: sentinel.port }], masterName: 'sbmaster' }, cluster: c.cluster, log });
    try {
      const snapshot = await observer.snapshot();
      expect(snapshot.redis).toBe('ok');
      expect(snapshot.nodes.map((n) => n.id)).toEqual([c.nodes[0]!.node.nodeId]);
      expect(snapshot.leader?.nodeId).toBe(c.nodes[0]!.node.nodeId);
      await observer.start();
      const view = new LiveView(observer);
      await view.until('a latency summary, live', (s) => s.latency.length === 1);
      view.unsubscribe();
    } finally {
      await observer.close();
    }
  });

  it('reports unreachable while Redis is down, keeps the last figures, and recovers by itself', async () => {
    const observer = new ClusterObserver({ redis: { url: redis.url }, cluster: c.cluster, log, clusterSecret: c.secret });
    try {
      await observer.start();
      const view = new LiveView(observer);
      await view.until('the node', (s) => s.redis === 'ok' && s.nodes.length === 1);
      await redis.kill();
      const killedAt = Date.now();
      await view.until('unreachable', (s) => s.redis === 'unreachable', 2_000);
      expect(Date.now() - killedAt).toBeLessThan(2_000);
      const down = await observer.snapshot();
      expect(down.redis).toBe('unreachable');
      expect(down.nodes.map((n) => n.id)).toEqual([c.nodes[0]!.node.nodeId]);
      expect(down.asOf).toBeLessThanOrEqual(killedAt + 100);
      const refused = await observer.presenceUsers({}).catch((err: unknown) => err);
      expect(isSwitchboardError(refused) && refused.id).toBe('redis.unreachable');
      await sleep(1_500);
      expect(view.state!.redis).toBe('unreachable');

      await redis.start();
      await view.until('reachable again with the node back', (s) => s.redis === 'ok' && s.nodes.length === 1 && s.leader !== null, 15_000);
      expect((await observer.snapshot()).redis).toBe('ok');
      // The bus subscription came back with the connection: a message published now is seen live.
      const publisher = new Redis(redis.url);
      try {
        const json = JSON.stringify({ v: 1, id: newId(), origin: 'after-outage', originSeq: 1, ts: Date.now(), kind: 'typing', broadcast: { omit_users: null, user_id: '', channel_id: '', team_id: '' }, data: {} });
        const seen = () => view.events.some((e) => e.origin === 'after-outage');
        for (let i = 0; i < 50 && !seen(); i += 1) {
          await publisher.publish(clusterKeys(c.cluster).bus, `${Date.now()}-0 ${'0'.repeat(64)}.${json}`);
          await sleep(100);
        }
        expect(seen()).toBe(true);
      } finally {
        publisher.disconnect();
      }
      view.unsubscribe();
    } finally {
      await observer.close();
    }
  });
});
