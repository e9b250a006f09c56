import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statusReportSchema } from '@switchboard/shared';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests drive real nodes through the node's test support; the product code never imports cluster-node.
import { startCluster, type TestCluster } from '../../cluster-node/test/support/cluster.js';
import { freePort } from '../../cluster-node/test/support/process.js';

/**
 * `switchboard` as operators run it: the built bin (`npx tsc -b shared cluster-node main` first,
 * as `npm test` does) against a live three-node cluster.
 */

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
let cluster: TestCluster;
let dir: string;
let profileFile: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: dir, SB_CONSOLE_DATA_DIR: join(dir, 'data') };
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: env(), timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

function writeProfile(name: string, overrides: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, cluster: cluster.cluster, redis: { url: cluster.redisUrl }, postgres: { url: cluster.databaseUrl }, ...overrides }));
  return file;
}

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) throw new Error('main/ is not built: run `npx tsc -b shared cluster-node main` first');
  cluster = await startCluster(3);
  dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  profileFile = writeProfile('cli');
});

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('switchboard status', () => {
  it('prints the live cluster as JSON and exits 0', async () => {
    const { code, stdout, stderr } = await run(['status', '--profile', profileFile, '--json']);
    expect([code, stderr]).toEqual([0, '']);
    const report = statusReportSchema.parse(JSON.parse(stdout));
    expect(report.nodes.map((node) => node.id).sort()).toEqual(cluster.nodes.map((_, i) => `n${i + 1}-${cluster.cluster.slice(1, 7)}`).sort());
    for (const node of report.nodes) expect(node).toMatchObject({ host: expect.any(String), state: 'active', is_leader: node.id === report.leader?.id });
    expect(report.nodes.filter((node) => node.is_leader)).toHaveLength(1);
    expect(report).toMatchObject({ leader: { id: expect.any(String), epoch: expect.any(Number) }, redis: 'ok', postgres: 'ok' });
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await run(['status', '--profile', profileFile]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/redis ok\s+postgres ok\s+leader n\d-/);
    expect(stdout.split('\n').filter((line) => line.startsWith('n'))).toHaveLength(3);
  });

  it('exits 1 when Redis or Postgres does not answer', async () => {
    const deadRedis = writeProfile('dead-redis', { redis: { url: `redis://127.0.0.1:${await freePort()}` } });
    const redisDown = await run(['status', '--profile', deadRedis, '--json']);
    expect([redisDown.code, JSON.parse(redisDown.stdout)]).toEqual([1, expect.objectContaining({ redis: 'unreachable', postgres: 'ok', nodes: [] })]);
    const deadPostgres = writeProfile('dead-pg', { postgres: { url: `postgres://postgres@127.0.0.1:${await freePort()}/nothing` } });
    const postgresDown = await run(['status', '--profile', deadPostgres, '--json']);
    expect([postgresDown.code, JSON.parse(postgresDown.stdout)]).toEqual([1, expect.objectContaining({ redis: 'ok', postgres: 'unreachable' })]);
  }, 30_000);

  it.each([
    ['an invalid profile', () => ['status', '--profile', writeProfile('bad', { redis: { url: 'http://nope' } }), '--json'], /redis/],
    ['a missing profile file', () => ['status', '--profile', join(dir, 'missing.yaml')], /cannot be read/],
    ['no profile', () => ['status'], /needs --profile/],
    ['an unknown flag', () => ['status', '--profile', 'local', '--verbose'], /--verbose/],
  ])('exits 2 with one line on %s', async (_what, args, message) => {
    const { code, stdout, stderr } = await run(args());
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^switchboard: .+\n$/);
    expect(stderr).toMatch(message);
  });
});

describe('switchboard console --web', () => {
  it('prints a URL whose token works once, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'console', '--web', '--profile', profileFile, '--port', String(await freePort())], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', () => reject(new Error(`exited before printing its URL: ${out}`)));
    });
    const match = /^Console: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]{43})$/.exec(line);
    expect(match).not.toBeNull();
    const [, origin, token] = match!;
    const attempt = () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`${origin!.replace('http', 'ws')}/ipc?token=${token}`, { origin });
        ws.on('message', (data) => {
          resolve(JSON.parse(String(data)).type);
          ws.close();
        });
        ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
        ws.on('error', () => {});
      });
    expect(await attempt()).toBe('welcome');
    expect(await attempt()).toBe('HTTP 401');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
