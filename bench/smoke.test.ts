import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Keeps the benchmark suite working: runs `npm run bench -- --size smoke` (every scenario at a
 * tiny size, against real Redis and Postgres) and checks the shape of its result. It asserts no
 * timing, since CI machines are shared; only that each figure was measured and nothing was lost.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCENARIOS = ['floor', 'node-to-node', 'end-to-end', 'baseline', 'connections', 'failover'];

function runBench(out: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bench/run.mjs', '--size', 'smoke', '--out', out, '--balancer', 'auto'], { cwd: ROOT, timeout: 110_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Every number in a latency summary {count, p50, p90, p99, max} is finite. */
function expectLatency(latency: any, where: string): void {
  for (const key of ['p50', 'p90', 'p99', 'max']) expect(Number.isFinite(latency[key]), `${where}.${key} = ${latency[key]}`).toBe(true);
  expect(latency.count, `${where}.count`).toBeGreaterThan(0);
}

/** A load phase measured something and lost nothing. */
function expectPhase(phase: any, where: string): void {
  expectLatency(phase.latencyMs, `${where}.latencyMs`);
  expect(Number.isFinite(phase.deliveriesPerSec) && phase.deliveriesPerSec > 0, `${where}.deliveriesPerSec`).toBe(true);
  expect(phase.acked, `${where}.acked`).toBeGreaterThan(0);
  expect(phase.lost, `${where}.lost`).toBe(0);
  expect(phase.duplicates, `${where}.duplicates`).toBe(0);
}

function expectEndToEnd(system: any, where: string): void {
  system.a.forEach((phase: any, i: number) => expectPhase(phase, `${where}.a[${i}]`));
  expectPhase(system.b, `${where}.b`);
  system.c.steps.forEach((phase: any, i: number) => expect(phase.lost, `${where}.c.steps[${i}].lost`).toBe(0));
  expect(Number.isFinite(system.c.deliveriesPerSec), `${where}.c.deliveriesPerSec`).toBe(true);
}

function expectConnections(side: any, where: string): void {
  expect(side.idle.failed, `${where}.idle.failed`).toBe(0);
  for (const value of [...side.idle.perThousandMiB, side.idle.totalMiB]) expect(Number.isFinite(value), `${where}.idle`).toBe(true);
  side.search.steps.forEach((phase: any, i: number) => expect(phase.lost, `${where}.search.steps[${i}].lost`).toBe(0));
}

describe('npm run bench -- --size smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbbench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures every scenario with finite figures and loses no post', async () => {
    const out = join(dir, 'result.json');
    const { code, output } = await runBench(out);
    expect(code, output).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(result.scenarios).sort()).toEqual([...SCENARIOS].sort());
    const s = result.scenarios;
    expectLatency(s.floor.latencyMs, 'floor');
    expect(s.floor.lost).toBe(0);
    expectLatency(s['node-to-node'].latencyMs, 'node-to-node');
    expectPhase(s['node-to-node'].endToEnd, 'node-to-node.endToEnd');
    expectEndToEnd(s['end-to-end'], 'end-to-end');
    expectEndToEnd(s.baseline, 'baseline');
    expectConnections(s.connections.switchboard, 'connections.switchboard');
    expectConnections(s.connections.socketio, 'connections.socketio');
    for (const trial of s.failover.trials) {
      expect(Number.isFinite(trial.noLeaderMs), 'failover.noLeaderMs').toBe(true);
      expect(trial.clientsOnKilledNode, 'failover.clientsOnKilledNode').toBeGreaterThan(0);
      expect(Number.isFinite(trial.allResumedAfterKillMs), 'failover.allResumedAfterKillMs').toBe(true);
      expect(trial.lost, 'failover.lost').toBe(0);
      expect(trial.neverBack, 'failover.neverBack').toBe(0);
    }
    expect(result.goals.length).toBeGreaterThan(0);
    expect(Number.isFinite(result.loadAverage.start[0]) && Number.isFinite(result.loadAverage.end[0])).toBe(true);
  }, 120_000);
});
