import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/database.js';
import { freePort } from './support/process.js';

/** The built nodectl bin (npm test builds before it runs the suites). */
const NODECTL = fileURLToPath(new URL('../bin/nodectl.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let configFile: string;
let runDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const listen: Record<string, string> = {};
/** Every pid nodectl reported, killed in afterAll whatever happened. */
const pids = new Set<number>();

function nodectl(args: string[], config = configFile): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NODECTL, ...args, '--config', config], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The single JSON document of a `--json` run (fails when stdout holds anything else). */
function json(run: Run): any {
  const lines = run.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child of an exited nodectl may linger as a zombie until reaped: that is gone too.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) [ZX] /.test(stat);
}

async function ping(id: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://${listen[id]}/api/v4/system/ping`);
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'nodectl-'));
  runDir = join(dir, 'run');
  configFile = join(dir, 'nodectl.json');
  const [p1, p2, p3] = await Promise.all([freePort(), freePort(), freePort()]);
  Object.assign(listen, { n1: `127.0.0.1:${p1}`, n2: `127.0.0.1:${p2}`, broken: `127.0.0.1:${p3}` });
  const config = {
    runDir: 'run',
    env: { SB_DATABASE_URL: database.url, SB_LOG_LEVEL: 'info', SB_DRAIN_MS: '300' },
    nodes: {
      n1: { env: { SB_LISTEN: listen.n1 } },
      n2: { env: { SB_LISTEN: listen.n2 } },
      // Postgres is not listening on port 1: this node exits at start.
      broken: { env: { SB_LISTEN: listen.broken, SB_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' } },
    },
  };
  writeFileSync(configFile, JSON.stringify(config));
});

afterAll(async () => {
  if (runDir && existsSync(runDir)) {
    for (const file of readdirSync(runDir).filter((name) => name.endsWith('.pid'))) {
      pids.add((JSON.parse(readFileSync(join(runDir, file), 'utf8')) as { pid: number }).pid);
    }
  }
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

describe('nodectl against real node processes', () => {
  it('starts two nodes and waits until they answer system/ping', async () => {
    const runs = await Promise.all([nodectl(['start', 'n1', '--json']), nodectl(['start', 'n2', '--json'])]);
    for (const [i, run] of runs.entries()) {
      const id = `n${i + 1}`;
      expect(run.code, run.stderr).toBe(0);
      const out = json(run);
      pids.add(out.node.pid);
      expect(out).toMatchObject({ ok: true, action: 'start', node: { id, running: true, listen: listen[id], state: 'active' } });
      expect(await ping(id)).toMatchObject({ status: 200, body: { node_id: id, node_state: 'active' } });
      const record = JSON.parse(readFileSync(join(runDir, `${id}.pid`), 'utf8'));
      expect(record).toMatchObject({ pid: out.node.pid, listen: listen[id] });
      expect(record.startedAt).toBeLessThanOrEqual(Date.now());
    }
  }, 60_000);

  it('lists both nodes running and active', async () => {
    const run = await nodectl(['list', '--json']);
    expect(run.code).toBe(0);
    const { nodes } = json(run);
    expect(nodes.map((n: { id: string }) => n.id)).toEqual(['broken', 'n1', 'n2']);
    expect(nodes[1]).toMatchObject({ id: 'n1', running: true, state: 'active', listen: listen.n1 });
    expect(nodes[2]).toMatchObject({ id: 'n2', running: true, state: 'active', listen: listen.n2 });
    expect(nodes[0]).toEqual({ id: 'broken', pid: null, running: false, listen: listen.broken, state: 'stopped' });
    const text = await nodectl(['list']);
    expect(text.stdout).toMatch(/^ID\s+PID\s+RUNNING\s+LISTEN\s+STATE\n/);
  });

  it('refuses to start a running node with exit 4', async () => {
    const run = await nodectl(['start', 'n1', '--json']);
    expect(run.code).toBe(4);
    expect(json(run)).toMatchObject({ ok: false, error: { id: 'nodectl.conflict', message: expect.stringContaining('already running') } });
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints at most --lines log lines', async () => {
    const run = await nodectl(['logs', 'n1', '--lines', '5', '--json']);
    expect(run.code).toBe(0);
    const { lines } = json(run);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    const all = await nodectl(['logs', 'n1', '--lines=10000']);
    expect(all.stdout).toContain('node listening');
  });

  it('drains n1: SIGTERM, the node exits, the pid file goes', async () => {
    const pid = JSON.parse(readFileSync(join(runDir, 'n1.pid'), 'utf8')).pid as number;
    const run = await nodectl(['drain', 'n1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run)).toMatchObject({ ok: true, action: 'drain', node: { id: 'n1', pid, running: false, state: 'stopped' } });
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(runDir, 'n1.pid'))).toBe(false);
    expect(readFileSync(join(runDir, 'n1.log'), 'utf8')).toContain('stopping');
  }, 30_000);

  it('kills n2: SIGKILL, the process is gone', async () => {
    const pid = JSON.parse(readFileSync(join(runDir, 'n2.pid'), 'utf8')).pid as number;
    const run = await nodectl(['kill', 'n2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`n2 killed (pid ${pid})\n`);
    expect(alive(pid)).toBe(false);
  });

  it('lists both stopped, and refuses to drain or kill a stopped node with exit 4', async () => {
    const { nodes } = json(await nodectl(['list', '--json']));
    for (const node of nodes) expect(node).toMatchObject({ pid: null, running: false, state: 'stopped' });
    expect((await nodectl(['drain', 'n1'])).code).toBe(4);
    expect((await nodectl(['kill', 'n2'])).code).toBe(4);
  });

  it('restart starts a stopped node, and drains then starts a running one', async () => {
    const first = await nodectl(['restart', 'n1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const before = json(first).node.pid as number;
    pids.add(before);
    const second = await nodectl(['restart', 'n1', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const after = json(second).node.pid as number;
    pids.add(after);
    expect(after).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect(await ping('n1')).toMatchObject({ status: 200, body: { node_id: 'n1' } });
    expect((await nodectl(['kill', 'n1'])).code).toBe(0);
  }, 60_000);

  it('lets one of two concurrent starts of a node win; the other gets exit 4', async () => {
    const runs = await Promise.all([nodectl(['start', 'n2', '--json']), nodectl(['start', 'n2', '--json'])]);
    for (const run of runs) if (run.code === 0) pids.add(json(run).node.pid);
    expect(runs.map((run) => run.code).sort()).toEqual([0, 4]);
    expect(json(runs.find((run) => run.code === 4)!).error.id).toBe('nodectl.conflict');
    expect((await nodectl(['kill', 'n2'])).code).toBe(0);
  }, 60_000);

  it('treats a stale pid file as stopped and removes it', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(runDir, 'n2.pid'), JSON.stringify({ pid: gone, startedAt: Date.now(), listen: listen.n2 }));
    const { nodes } = json(await nodectl(['list', '--json']));
    expect(nodes.find((n: { id: string }) => n.id === 'n2')).toMatchObject({ running: false, state: 'stopped' });
    expect(existsSync(join(runDir, 'n2.pid'))).toBe(false);
  });

  it('reports a node that cannot start with exit 1 and its last log lines', async () => {
    const run = await nodectl(['start', 'broken', '--json']);
    expect(run.code).toBe(1);
    const { error } = json(run);
    expect(error.id).toBe('nodectl.action_failed');
    expect(error.message).toMatch(/^broken exited before system\/ping answered; last log lines: .*start failed/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(join(runDir, 'broken.pid'))).toBe(false);
  }, 30_000);

  it('answers an unknown node id with exit 3', async () => {
    const run = await nodectl(['logs', 'n9', '--json']);
    expect(run.code).toBe(3);
    expect(json(run)).toMatchObject({ ok: false, error: { id: 'nodectl.unknown_node' } });
  });

  it('refuses an id that is shell syntax with exit 2 before anything runs', async () => {
    const files = readdirSync(runDir).sort();
    const marker = join(dir, 'pwned');
    for (const command of ['start', 'drain', 'kill', 'logs']) {
      const run = await nodectl([command, `n1; touch ${marker}`, '--json']);
      expect(run.code).toBe(2);
      expect(json(run)).toMatchObject({ ok: false, error: { id: 'nodectl.usage', message: expect.stringContaining('invalid node id') } });
    }
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(runDir).sort()).toEqual(files);
    const { nodes } = json(await nodectl(['list', '--json']));
    for (const node of nodes) expect(node.running).toBe(false);
  });

  it('refuses a bad config with exit 2 naming the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ runDir: 'run', nodes: { n1: { env: { SB_LISTEN: listen.n1, PATH: '/tmp' } } } }));
    const run = await nodectl(['list'], bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nodectl: invalid host config .*bad\.json: nodes\.n1\.env\.PATH: must be an SB_\* variable name/);
    writeFileSync(bad, JSON.stringify({ nodes: {} }));
    expect((await nodectl(['list'], bad)).stderr).toMatch(/runDir is required/);
    expect((await nodectl(['list'], join(dir, 'missing.json'))).code).toBe(2);
  });

  it('rejects unknown commands and flags and a bad --lines with exit 2', async () => {
    for (const args of [['frob'], ['list', '--verbose'], ['logs', 'n1', '--lines', '0'], ['logs', 'n1', '--lines', '10001'], ['start'], ['list', 'n1']]) {
      const run = await nodectl(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
