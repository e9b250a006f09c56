import { rmSync } from 'node:fs';
import { clusterProfileSchema, drillReportSchema, type ClusterProfile } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinelSet, type SentinelSet } from '../../cluster-node/test/support/redis-sentinel.js';
import type { DrillService } from '../src/core/drills/index.js';
import { startDrillCluster, type DrillCluster } from './support/drill-cluster.js';
import { testDrillService } from './support/drill-service.js';

/**
 * The built-in `redis-sentinel-failover` drill against three nodes (through nodectl, behind
 * Debian's HAProxy) that reach Redis only through three Sentinels watching a primary and a
 * replica on loopback. The drill sends SENTINEL FAILOVER itself, as it would in production: the
 * demoted primary stays writable until Sentinel reconfigures it, so the nodes must follow the
 * switch announcement and re-publish what the old primary did not replicate.
 */

let set: SentinelSet;
let cluster: DrillCluster;
let profile: ClusterProfile;
let drills: ReturnType<typeof testDrillService>;
let service: DrillService;

beforeAll(async () => {
  set = await startSentinelSet();
  // An empty SB_REDIS_URL is unset for the node (the drill cluster's own Redis stays unused).
  cluster = await startDrillCluster({ nodeEnv: { SB_REDIS_URL: '', SB_REDIS_SENTINELS: set.sentinelList, SB_REDIS_SENTINEL_MASTER: set.masterName } });
  profile = clusterProfileSchema.parse({ ...cluster.profile, redis: { sentinels: set.sentinels, masterName: set.masterName } });
  drills = testDrillService();
  service = drills.service;
}, 120_000);

afterAll(async () => {
  await service?.close();
  await cluster?.stop();
  await set?.stop();
  if (drills && !process.env.SB_TEST_KEEP_DRILLS) rmSync(drills.dir, { recursive: true, force: true });
});

describe('the redis-sentinel-failover drill', () => {
  it('passes with zero lost posts, the primary moved, and every node still active behind HAProxy', async () => {
    const before = await set.primary();
    const { runId } = await service.start('redis-sentinel-failover', profile);
    const report = await service.finished(runId);
    expect(drillReportSchema.parse(report)).toBeTruthy();
    expect({ verdict: report.verdict, reason: report.reason }).toEqual({ verdict: 'Pass', reason: expect.any(String) });
    expect(report.lost).toBe(0);
    expect(report.unexpected).toBe(0);
    expect(report.figures.acknowledged).toBeGreaterThan(5);
    expect(report.figures.clients).toHaveLength(3);
    expect(report.steps.every((step) => step.ok)).toBe(true);
    expect(report.steps.map((step) => step.action)).toContain('redis-failover');
    const sent = report.timeline.find((entry) => entry.detail.startsWith('SENTINEL FAILOVER'));
    expect(sent?.detail).toContain(`(primary ${before.host}:${before.port})`);
    expect((await set.primary()).port).not.toBe(before.port);
    const listed = (await cluster.nodectl(['list'])).json as { nodes: Array<{ id: string; running: boolean; state: string }> };
    expect(listed.nodes.map((node) => [node.id, node.running, node.state])).toEqual([
      ['n1', true, 'active'],
      ['n2', true, 'active'],
      ['n3', true, 'active'],
    ]);
    const history = await service.listRuns();
    expect(history.find((run) => run.runId === runId)).toMatchObject({ verdict: 'Pass', state: 'finished', lost: 0 });
  }, 150_000);
});
