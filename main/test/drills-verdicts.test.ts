import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drillReportSchema, type DrillScenarioInput } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillService } from '../src/core/drills/index.js';
import { startDrillCluster, type DrillCluster } from './support/drill-cluster.js';
import { leakedSince, openHandles } from './support/open-handles.js';
import { TEST_PROBE_PASSWORD, testDrillService } from './support/drill-service.js';

/**
 * The drill engine can say no: a drill against a cluster that cannot meet its thresholds fails
 * naming the threshold, an abort condition stops a drill and restores the cluster, and the CLI
 * gates on the verdict with its exit code. One real cluster behind HAProxy serves all of them.
 */

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
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
  if (drills) rmSync(drills.dir, { recursive: true, force: true });
});

/** Short timings so the suite stays quick. */
const quick = { baselineMs: 2_000, deliveryTimeoutMs: 4_000 };

async function runningNodes(): Promise<string[]> {
  const listed = (await cluster.nodectl(['list'])).json as { nodes: Array<{ id: string; running: boolean }> };
  return listed.nodes.filter((node) => node.running).map((node) => node.id).sort();
}

async function run(scenario: DrillScenarioInput) {
  const { runId } = await service.start(scenario as never, cluster.profile);
  return drillReportSchema.parse(await service.finished(runId));
}

describe('the checker can fail', () => {
  it('fails kill-leader when the leader TTL (3 s) is longer than the time-without-leader threshold, naming it', async () => {
    const report = await run({
      name: 'kill-leader-strict',
      probes: quick,
      steps: [{ action: 'kill-leader' }, { action: 'settle', holdMs: 1_000 }, { action: 'start-stopped' }],
      thresholds: { lost: 0, unexpected: 0, timeWithoutLeaderMs: 1_500 },
      settleMs: 500,
    });
    expect(report.verdict).toBe('Fail');
    const failed = report.thresholds.filter((threshold) => !threshold.pass);
    expect(failed.map((threshold) => threshold.name)).toEqual(['timeWithoutLeaderMs']);
    expect(failed[0]!.actual).toBeGreaterThan(1_500);
    expect(failed[0]!.failedAtStep).toBe(0);
    expect(report.reason).toContain('timeWithoutLeaderMs');
    expect(report.lost).toBe(0);
    expect(report.timeline.some((entry) => entry.kind === 'new-leader')).toBe(true);
    expect(await runningNodes()).toEqual(['n1', 'n2', 'n3']);
  }, 90_000);

  it('fails with lost posts when clients neither resume nor backfill, naming the lost threshold', async () => {
    const report = await run({
      name: 'kill-node-no-resume',
      probes: { ...quick, ratePerSecond: 10, resume: false, backfill: false },
      steps: [{ action: 'kill-nodes', target: { among: 'followers', radius: 'one' } }, { action: 'settle', holdMs: 1_000 }, { action: 'start-stopped' }],
      settleMs: 500,
    });
    expect(report.verdict).toBe('Fail');
    const lost = report.thresholds.find((threshold) => threshold.name === 'lost')!;
    expect(lost.pass).toBe(false);
    expect(lost.actual).toBeGreaterThan(0);
    // The first lost post went out while the node died (step 1) or while its client was away (the settle).
    expect([0, 1]).toContain(lost.failedAtStep);
    expect(report.lost).toBe(lost.actual);
    expect(report.recovered).toBe(0);
    const victim = report.figures.clients.find((client) => client.newConnections > 0)!;
    expect(victim.resumed).toBe(0);
    expect(victim.lost).toBeGreaterThan(0);
    expect(report.hypothesis.find((check) => check.check === 'no-loss')?.pass).toBe(false);
    expect(await runningNodes()).toEqual(['n1', 'n2', 'n3']);
  }, 90_000);

  it('recovers the same loss by backfill when only resume is off: nothing lost, posts recovered', async () => {
    const report = await run({
      name: 'kill-node-backfill',
      probes: { ...quick, ratePerSecond: 10, resume: false, backfill: true },
      steps: [{ action: 'kill-nodes', target: { among: 'followers', radius: 'one' } }, { action: 'settle', holdMs: 1_000 }, { action: 'start-stopped' }],
      settleMs: 500,
    });
    expect({ verdict: report.verdict, reason: report.reason }).toMatchObject({ verdict: 'Pass' });
    expect(report.lost).toBe(0);
    expect(report.recovered).toBeGreaterThan(0);
  }, 90_000);
});

describe('custom scenarios', () => {
  it('restarts half the nodes (rounded up) at once, with a hypothesis of every node active, and passes', async () => {
    const report = await run({
      name: 'restart-half',
      probes: quick,
      hypothesis: [{ check: 'one-leader' }, { check: 'nodes-active', toleranceMs: 30_000 }, { check: 'delivery-p99', maxMs: 2_000 }, { check: 'no-loss' }],
      steps: [{ action: 'restart-nodes', target: { radius: { percent: 50 } }, label: 'restart half' }, { action: 'settle', holdMs: 1_000 }],
      thresholds: { lost: 0, unexpected: 0, reordered: 0, probeSuccessPercent: 90 },
      settleMs: 500,
    });
    expect(report.verdict).toBe('Pass');
    expect(report.steps[0]).toMatchObject({ action: 'restart-nodes', description: 'restart half', ok: true });
    expect(report.steps[0]!.targets).toHaveLength(2);
    expect(report.hypothesis.map((check) => check.check)).toEqual(['one-leader', 'nodes-active', 'delivery-p99', 'no-loss']);
    expect(report.restore.actions).toEqual([]);
    expect(await runningNodes()).toEqual(['n1', 'n2', 'n3']);
  }, 90_000);
});

describe('abort conditions', () => {
  it('stops a drill that takes down more nodes than allowed and restores them', async () => {
    const report = await run({
      name: 'kill-two',
      probes: quick,
      steps: [{ action: 'kill-nodes', target: { radius: { count: 2 }, pick: 'first' } }, { action: 'wait', ms: 60_000 }],
      abort: { maxNodesDown: 1, timeLimitMs: 60_000 },
    });
    expect(report.verdict).toBe('Stopped');
    expect(report.reason).toContain('nodes down');
    expect(report.timeline.some((entry) => entry.kind === 'abort')).toBe(true);
    expect(report.restore).toMatchObject({ ok: true });
    expect(report.restore.actions.sort()).toEqual(['started n1', 'started n2']);
    expect(report.endedAt - report.startedAt).toBeLessThan(45_000);
    expect(await runningNodes()).toEqual(['n1', 'n2', 'n3']);
  }, 90_000);

  it('refuses a scenario whose steps need a control the profile lacks, touching nothing', async () => {
    const { services: _services, ...withoutServices } = cluster.profile;
    await expect(service.start('restart-redis', withoutServices)).rejects.toMatchObject({ id: 'drill.missing_control', message: expect.stringContaining('services.redis') });
    expect(service.current()).toBeNull();
  });
});

describe('switchboard drill run', () => {
  function cliEnv(): Record<string, string> {
    return { PATH: process.env.PATH ?? '', HOME: drills.dir, SB_CONSOLE_DATA_DIR: join(drills.dir, 'console'), SB_SECRET_PROBE_PASSWORD: TEST_PROBE_PASSWORD };
  }

  function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { ...cliEnv(), ...extraEnv }, timeout: 120_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }));
    });
  }

  function profileFile(): string {
    const file = join(drills.dir, 'profile.json');
    writeFileSync(file, JSON.stringify(cluster.profile));
    return file;
  }

  /** The state file a running demo writes, describing this test's cluster: what `--profile local` reads. */
  function demoState(): string {
    const file = join(drills.dir, 'demo-profile.json');
    const { profile } = cluster;
    const redis = profile.redis as { url: string };
    writeFileSync(file, JSON.stringify({ version: 1, pid: process.pid, startedAt: Date.now(), cluster: profile.cluster, redisUrl: redis.url, databaseUrl: profile.postgres.url, apiUrl: profile.apiUrl, nodectlConfig: cluster.nodectlConfig, nodes: Object.keys(cluster.nodes) }));
    return file;
  }

  it('runs kill-leader --profile local, prints the report with the loss figures on top, writes the HTML and exits 0', async () => {
    const html = join(drills.dir, 'kill-leader.html');
    const result = await cli(['drill', 'run', 'kill-leader', '--profile', 'local', '--json', '--report', html], { SB_DEMO_PROFILE: demoState() });
    expect(result.stderr).toMatch(/step 1\/4 kill-leader/);
    expect(result.stderr).toMatch(/verdict Pass/);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report).slice(0, 6)).toEqual(['version', 'runId', 'verdict', 'lost', 'unexpected', 'recovered']);
    expect(report).toMatchObject({ verdict: 'Pass', lost: 0, unexpected: 0, recovered: expect.any(Number), reordered: 0, profile: 'local', cluster: cluster.profile.cluster });
    expect(result.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('kill-leader');
    expect(page).not.toMatch(/(src|href)=["']?https?:/);
    expect(existsSync(join(drills.dir, '.switchboard', 'drills', 'runs', String(report.runId), 'report.json'))).toBe(true);
  }, 120_000);

  it('halts on Ctrl-C: the cluster is restored, the verdict is Stopped, exit 1', async () => {
    const scenario = join(drills.dir, 'long.yaml');
    writeFileSync(scenario, `name: long-kill\nprobes: { baselineMs: 1000 }\nsteps:\n  - action: kill-nodes\n    target: { among: followers }\n  - action: wait\n    ms: 120000\n`);
    const child = spawn(process.execPath, [BIN, 'drill', 'run', scenario, '--profile', profileFile(), '--json'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const waiting = new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), /step 2\/2 wait/.test(stderr) && resolve())));
    await waiting;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { verdict: string; reason: string; restore: { ok: boolean; actions: string[] } };
    expect(report.verdict).toBe('Stopped');
    expect(report.reason).toContain('halted');
    expect(stderr).toContain('SIGINT: halting the drill and restoring the cluster');
    expect(report.restore.ok).toBe(true);
    expect(report.restore.actions).toHaveLength(1);
    expect(await runningNodes()).toEqual(['n1', 'n2', 'n3']);
  }, 120_000);

  it('exits 2 naming the field of an invalid scenario file, and for an unknown scenario', async () => {
    const bad = join(drills.dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nsteps:\n  - action: kill-nodes\n    target: { radius: { percent: 500 } }\n');
    const invalid = await cli(['drill', 'run', bad, '--profile', profileFile()]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('steps.0.target.radius');
    const unknown = await cli(['drill', 'run', 'no-such-drill', '--profile', profileFile()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('kill-leader');
    const usage = await cli(['drill', 'run', '--profile', profileFile()]);
    expect(usage.code).toBe(2);
  }, 60_000);
});
