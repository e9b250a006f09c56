import { rmSync } from 'node:fs';
import { drillReportSchema } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, type DrillService } from '../src/core/drills/index.js';
import { startDrillCluster, type DrillCluster } from './support/drill-cluster.js';
import { leakedSince, openHandles } from './support/open-handles.js';
import { testDrillService } from './support/drill-service.js';

/**
 * Every built-in drill (but the Sentinel one: drills-sentinel.test.ts) against a real local
 * cluster: three nodes through nodectl, private Redis and Postgres, Debian's HAProxy in front.
 * Each must pass with zero lost posts and leave every node running.
 */

const baseline = openHandles();
let cluster: DrillCluster;
let drills: ReturnType<typeof testDrillService>;
let service: DrillService;

beforeAll(async () => {
  cluster = await startDrillCluster();
  drills = testDrillService();
  service = drills.service;
}, 120_000);

afterAll(async () => {
  await service?.close();
  await cluster?.stop();
  // Every probe socket, Redis connection, host command and HAProxy is gone.
  expect(await leakedSince(baseline)).toEqual({});
  if (drills && !process.env.SB_TEST_KEEP_DRILLS) rmSync(drills.dir, { recursive: true, force: true });
});

async function allRunning(): Promise<boolean> {
  const listed = (await cluster.nodectl(['list'])).json as { nodes: Array<{ id: string; running: boolean; state: string }> };
  return listed.nodes.every((node) => node.running && node.state === 'active');
}

describe('built-in drills against a local cluster behind HAProxy', () => {
  const names = BUILTIN_SCENARIOS.map((scenario) => scenario.name).filter((name) => name !== 'redis-sentinel-failover');

  it.each(names)('%s passes with zero lost posts', async (name) => {
    const { runId } = await service.start(name, cluster.profile);
    const report = await service.finished(runId);
    expect(drillReportSchema.parse(report)).toBeTruthy();
    expect({ verdict: report.verdict, reason: report.reason }).toEqual({ verdict: 'Pass', reason: expect.any(String) });
    expect(report.lost).toBe(0);
    expect(report.unexpected).toBe(0);
    expect(report.figures.acknowledged).toBeGreaterThan(5);
    expect(report.figures.clients).toHaveLength(3);
    expect(report.steps.every((step) => step.ok)).toBe(true);
    expect(report.series.length).toBeGreaterThan(3);
    expect(await allRunning()).toBe(true);
    const history = await service.listRuns();
    expect(history.find((run) => run.runId === runId)).toMatchObject({ verdict: 'Pass', state: 'finished', lost: 0 });
  }, 150_000);
});
