import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectWebBridge, createClient, METHOD_NAMES, type ConsoleClient, type EventName, type MethodName, type WebBridgeClient } from '@switchboard/shared';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests drive real nodes through the node's test support; the product code never imports cluster-node.
import { startCluster, type TestCluster } from '../../cluster-node/test/support/cluster.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { loadConsoleConfig } from '../src/app/console-config.js';
import { startWebConsole, type WebConsole } from '../src/app/console-main.js';
import { quoteCommand } from '../src/core/hosts/index.js';
import { LOCAL_NODECTL_SCRIPT } from '../src/core/profiles/index.js';
import { EnvSecretStore } from '../src/core/secrets/index.js';
import { leakedSince, openHandles } from './support/open-handles.js';

/**
 * The web bridge over a live three-node cluster with the real services: every contract method
 * through a real WebSocket client with valid and invalid input; refused tokens and origins;
 * live events. The profile's one host is local and runs nodectl for a fourth node, `n9`.
 */

const baseline = openHandles();
let cluster: TestCluster;
let web: WebConsole;
let dir: string;
let bridge: WebBridgeClient;
let client: ConsoleClient;
const HOST = 'box';
const FINGERPRINT = `SHA256:${'B'.repeat(43)}`;

/** A `ws` WebSocket that sends the Origin a browser on the bridge's page would. */
function socketClass(origin: string) {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
}

function connect(token: string, origin = web.bridge.origin): Promise<WebBridgeClient> {
  return connectWebBridge({ url: `${web.bridge.origin.replace('http', 'ws')}/ipc`, token, WebSocket: socketClass(origin), reconnect: false });
}

/** Opens a raw socket; resolves with how it ended: the HTTP status of a refused upgrade, or the close code and frames received. */
function rawAttempt(options: { query?: string; origin?: string; host?: string; send?: Array<string | Buffer> }): Promise<{ status?: number; code?: number; opened?: true; frames: string[] }> {
  return new Promise((resolve) => {
    const frames: string[] = [];
    const headers = options.host ? { host: options.host } : {};
    const ws = new WebSocket(`${web.bridge.origin.replace('http', 'ws')}/ipc${options.query ?? ''}`, { ...(options.origin === undefined ? {} : { origin: options.origin }), headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode, frames });
      ws.terminate();
    });
    ws.on('open', () => {
      if (options.send) return options.send.forEach((frame) => ws.send(frame));
      resolve({ opened: true, frames });
      ws.close();
    });
    ws.on('message', (data) => frames.push(String(data)));
    ws.on('close', (code) => resolve({ code, frames }));
    ws.on('error', () => {});
  });
}

/** Resolves with the first payload of `event` that satisfies `test`. */
function nextEvent<T>(event: EventName, test: (payload: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error(`no matching ${event} within ${timeoutMs} ms`))), timeoutMs);
    const stop = client.subscribe(event, (payload) => {
      if (!test(payload as T)) return;
      clearTimeout(timer);
      stop();
      resolve(payload as T);
    });
  });
}

/** Reads `read()` until `test` holds (every 200 ms, at most `timeoutMs`). */
async function until<T>(read: () => Promise<T>, test: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const auditCount = async () => (await client.invoke('audit.read', { limit: 1000 })).entries.length;

beforeAll(async () => {
  cluster = await startCluster(3);
  dir = mkdtempSync(join(tmpdir(), 'web-bridge-'));
  const nodectlConfig = join(dir, 'nodectl.json');
  const env = { SB_DATABASE_URL: cluster.databaseUrl, SB_REDIS_URL: cluster.redisUrl, SB_CLUSTER: cluster.cluster, SB_CLUSTER_SECRET: cluster.secret, SB_DRAIN_MS: '300' };
  writeFileSync(nodectlConfig, JSON.stringify({ runDir: join(dir, 'run'), env, nodes: { n9: { env: { SB_LISTEN: `127.0.0.1:${await freePort()}` } } } }));
  const profileFile = join(dir, 'bridge.json');
  const nodectl = { command: quoteCommand([process.execPath, LOCAL_NODECTL_SCRIPT]), config: nodectlConfig };
  writeFileSync(
    profileFile,
    JSON.stringify({ name: 'bridge', cluster: cluster.cluster, redis: { url: cluster.redisUrl }, postgres: { url: cluster.databaseUrl }, apiUrl: cluster.nodes[0]!.url, hosts: [{ name: HOST, local: true, nodectl, nodes: ['n9'] }] }),
  );
  const config = loadConsoleConfig({}, { profile: profileFile, dataDir: join(dir, 'data'), rendererDir: join(dir, 'renderer-not-built'), logLevel: 'silent' });
  web = await startWebConsole({ config, log: pino({ level: 'silent' }), secrets: new EnvSecretStore({ SB_SECRET_PROBE_PASSWORD: 'probe-password-1' }), env: { PATH: process.env.PATH, HOME: dir } });
  bridge = await connect(web.bridge.tokens.launchToken);
  client = createClient(bridge.transport);
});

afterAll(async () => {
  bridge?.close();
  await web?.close();
  for (const file of existsSync(join(dir, 'run')) ? readdirSync(join(dir, 'run')).filter((name) => name.endsWith('.pid')) : []) {
    try {
      process.kill((JSON.parse(readFileSync(join(dir, 'run', file), 'utf8')) as { pid: number }).pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  expect(await leakedSince(baseline)).toEqual({});
}, 60_000);

describe('web bridge: the contract over a real WebSocket', () => {
  it('serves the not-built page under a strict CSP, to its own Host only', async () => {
    const page = await fetch(`${web.bridge.origin}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('renderer is not built');
    expect(web.bridge.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers the cluster and Postgres methods with live figures', async () => {
    const snapshot = await client.invoke('cluster.snapshot', {});
    expect([snapshot.redis, snapshot.nodes.length, snapshot.leader !== null]).toEqual(['ok', 3, true]);
    expect(await client.invoke('cluster.presenceUsers', { perPage: 10 })).toMatchObject({ page: 0, perPage: 10 });
    expect((await client.invoke('cluster.recentEvents', { limit: 10 })).events).toBeInstanceOf(Array);
    const probe = await client.invoke('cluster.probe', { timeoutMs: 10_000 });
    expect([probe.ok, probe.nodes.length, probe.error]).toEqual([true, 3, null]);
    expect(await client.invoke('postgres.health', {})).toMatchObject({ reachable: true, rowCounts: { users: { count: 1 } } });
    expect(await client.invoke('postgres.consistencyCheck', {})).toMatchObject({ expected: 1, found: 1, missing: [], duplicated: [] });
  });

  it('controls node n9 through nodectl, with progress events and an audit trail', async () => {
    expect(await client.invoke('hosts.listNodes', {})).toEqual({ nodes: [expect.objectContaining({ host: HOST, id: 'n9', running: false })], failures: [] });
    const progress: string[] = [];
    const stop = client.subscribe('hosts.onDidAct', (event) => progress.push(`${event.action}:${event.phase}`));
    const joined = nextEvent<{ type: string; snapshot?: { nodes: Array<{ id: string }> }; changes?: { nodes?: Array<{ id: string }> } }>('cluster.onDidChange', (update) =>
      (update.snapshot?.nodes ?? update.changes?.nodes ?? []).some((node) => node.id === 'n9'),
    );
    expect(await client.invoke('hosts.start', { host: HOST, nodeId: 'n9' })).toMatchObject({ id: 'n9', running: true, state: 'active' });
    await joined;
    expect(await client.invoke('hosts.restart', { host: HOST, nodeId: 'n9' })).toMatchObject({ running: true });
    expect(await client.invoke('hosts.drain', { host: HOST, nodeId: 'n9' })).toMatchObject({ running: false, state: 'stopped' });
    await client.invoke('hosts.start', { host: HOST, nodeId: 'n9' });
    expect(await client.invoke('hosts.kill', { host: HOST, nodeId: 'n9' })).toMatchObject({ running: false });
    expect((await client.invoke('hosts.logs', { host: HOST, nodeId: 'n9', lines: 5 })).lines.length).toBeGreaterThan(0);
    await expect(client.invoke('hosts.kill', { host: HOST, nodeId: 'n9' })).rejects.toMatchObject({ id: 'nodectl.conflict' });
    await expect(client.invoke('hosts.acceptHostKey', { host: HOST, fingerprint: FINGERPRINT })).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    stop();
    expect(progress).toEqual(['start', 'restart', 'drain', 'start', 'kill', 'kill'].flatMap((a, i) => [`${a}:started`, `${a}:${i === 5 ? 'failed' : 'succeeded'}`]));
    const { entries } = await client.invoke('audit.read', { limit: 20 });
    expect(entries.slice(0, 8).map((entry) => `${entry.action}:${entry.result}`).reverse()).toEqual(['start:ok', 'restart:ok', 'drain:ok', 'start:ok', 'kill:ok', 'logs:ok', 'kill:failed', 'accept-host-key:failed']);
  }, 90_000);

  it('lists, reads, saves and selects profiles; live subscriptions follow the selection', async () => {
    expect(await client.invoke('profiles.list', {})).toMatchObject({ selected: 'bridge', profiles: [{ name: 'local', source: 'builtin' }, { name: 'bridge', source: 'command-line' }] });
    const { profile } = await client.invoke('profiles.get', { name: 'bridge' });
    expect(profile.cluster).toBe(cluster.cluster);
    expect(await client.invoke('profiles.save', { profile: { ...profile, name: 'bridge-copy' } })).toMatchObject({ source: 'folder', path: join(dir, 'data', 'profiles', 'bridge-copy.yaml') });
    const fresh = nextEvent<{ type: string }>('cluster.onDidChange', (update) => update.type === 'snapshot');
    expect(await client.invoke('profiles.select', { name: 'bridge-copy' })).toMatchObject({ name: 'bridge-copy' });
    await fresh;
    expect((await client.invoke('profiles.list', {})).selected).toBe('bridge-copy');
    await client.invoke('profiles.select', { name: 'bridge' });
    await expect(client.invoke('profiles.get', { name: 'nope' })).rejects.toMatchObject({ id: 'profile.not_found' });
  }, 30_000);

  it('lists, checks and saves drill scenarios; runs one against the watched profile, live, and halts it', async () => {
    const { scenarios } = await client.invoke('drills.listScenarios', {});
    expect(scenarios.filter((entry) => entry.source === 'builtin').map((entry) => entry.name)).toEqual(['kill-leader', 'kill-random-node', 'drain-node', 'rolling-restart', 'restart-redis', 'redis-sentinel-failover', 'restart-postgres']);
    expect(scenarios[0]!.text).toMatch(/^name: kill-leader$/m);
    const invalid = await client.invoke('drills.validateScenario', { text: 'name: Bad Name\nsteps: []\n' });
    expect(invalid.ok === false && invalid.issues.map((issue) => issue.path)).toEqual(['name', 'steps']);
    const text = 'name: bridge-wait\nprobes: { baselineMs: 500 }\nsteps:\n  - action: wait\n    ms: 120000\n';
    expect(await client.invoke('drills.validateScenario', { text })).toMatchObject({ ok: true, scenario: { name: 'bridge-wait', steps: [{ action: 'wait', ms: 120_000 }] } });
    expect(await client.invoke('drills.saveScenario', { text })).toMatchObject({ name: 'bridge-wait', source: 'saved' });
    expect((await client.invoke('drills.listScenarios', {})).scenarios.at(-1)).toMatchObject({ name: 'bridge-wait', source: 'saved' });
    await expect(client.invoke('drills.saveScenario', { text: 'name: kill-leader\nsteps: [{ action: wait, ms: 1 }]\n' })).rejects.toMatchObject({ id: 'drill.invalid_scenario' });
    await expect(client.invoke('drills.start', { text: 'name: x\nsteps: []\n' })).rejects.toMatchObject({ id: 'drill.invalid_scenario' });
    await expect(client.invoke('drills.start', { scenario: 'no-such-drill' })).rejects.toMatchObject({ id: 'drill.not_found' });
    expect(await client.invoke('drills.listRuns', {})).toEqual({ runs: [] });

    // n9, killed by an earlier test, stays in the registry until its entry expires: a drill would probe it.
    const snapshot = await until(() => client.invoke('cluster.snapshot', {}), (s) => s.nodes.length === cluster.nodes.length && s.leader !== null);
    const seen: string[] = [];
    const stop = client.subscribe('drills.onDidProgress', (progress) => seen.push(`${progress.seq}:${progress.event.type}`));
    // The steps begin after the baseline; a verdict first means the drill refused to start (its reason shows in the diff).
    const stepsOrVerdict = nextEvent<{ event: { type: string; phase?: string } }>('drills.onDidProgress', (p) => (p.event.type === 'phase' && p.event.phase === 'steps') || p.event.type === 'verdict', 60_000);
    const { runId } = await client.invoke('drills.start', { scenario: 'bridge-wait' });
    await expect(client.invoke('drills.start', { scenario: 'bridge-wait' })).rejects.toMatchObject({ id: 'drill.already_running' });
    expect((await stepsOrVerdict).event).toEqual({ type: 'phase', runId, at: expect.any(Number), phase: 'steps' });
    const current = await client.invoke('drills.current', {});
    expect(current.run).toMatchObject({ runId, running: true });
    expect(current.run!.events.map((p) => p.seq)).toEqual(current.run!.events.map((_, i) => i));
    const started = current.run!.events[0]!.event;
    expect(started).toMatchObject({ type: 'run-started', scenario: 'bridge-wait', profile: 'bridge' });
    expect(started.type === 'run-started' && [...started.nodes].sort()).toEqual(snapshot.nodes.map((node) => node.id).sort());
    expect((await client.invoke('drills.listRuns', {})).runs).toEqual([expect.objectContaining({ runId, state: 'running', verdict: null })]);
    const verdict = nextEvent<{ event: { type: string; verdict?: string } }>('drills.onDidProgress', (p) => p.event.type === 'verdict', 30_000);
    const haltedAt = Date.now();
    expect(await client.invoke('drills.halt', { runId })).toEqual({ runId, halted: true });
    // Halt answers at once; the verdict follows when the engine has stopped and restored.
    expect(Date.now() - haltedAt).toBeLessThan(1_000);
    expect((await verdict).event.verdict).toBe('Stopped');
    stop();
    expect(seen.slice(0, 2)).toEqual(['0:run-started', '1:mark']);
    expect(await client.invoke('drills.halt', { runId })).toEqual({ runId, halted: false });
    expect((await client.invoke('drills.current', {})).run).toMatchObject({ runId, running: false });
    expect((await client.invoke('drills.listRuns', {})).runs).toEqual([expect.objectContaining({ runId, scenario: 'bridge-wait', profile: 'bridge', state: 'finished', verdict: 'Stopped' })]);
    const report = await client.invoke('drills.getReport', { runId });
    expect(report).toMatchObject({ runId, verdict: 'Stopped', lost: 0, profile: 'bridge', cluster: cluster.cluster });
    expect(report.reason).toContain('halted');
    const html = await client.invoke('drills.getReportHtml', { runId });
    expect(html).toMatchObject({ runId, fileName: `switchboard-drill-${runId}.html` });
    expect(html.html).toMatch(/^<!doctype html>/i);
    await expect(client.invoke('drills.getReport', { runId: '20990101t000000-zzzzzz' })).rejects.toMatchObject({ id: 'drill.not_found' });
    await expect(client.invoke('drills.getReportHtml', { runId: '20990101t000000-zzzzzz' })).rejects.toMatchObject({ id: 'drill.not_found' });
  }, 90_000);

  const INVALID: Record<MethodName, unknown> = {
    'cluster.snapshot': { all: true },
    'cluster.presenceUsers': { perPage: 1_000 },
    'cluster.recentEvents': { limit: 0 },
    'cluster.probe': { timeoutMs: 'soon' },
    'postgres.health': 'now',
    'postgres.consistencyCheck': { deep: true },
    'hosts.listNodes': [],
    'hosts.start': { host: HOST, nodeId: 'n9; rm -rf /' },
    'hosts.drain': { host: HOST, nodeId: '$(reboot)' },
    'hosts.kill': { host: 'box && id', nodeId: 'n9' },
    'hosts.restart': { host: HOST },
    'hosts.logs': { host: HOST, nodeId: 'n9', lines: 0 },
    'hosts.acceptHostKey': { host: HOST, fingerprint: 'SHA256:short' },
    'audit.read': { limit: 1e9 },
    'profiles.list': null,
    'profiles.get': { name: '../../etc/passwd' },
    'profiles.save': { profile: { name: 'x', cluster: 'x' } },
    'profiles.select': { name: 42 },
    'drills.listScenarios': { builtin: true },
    'drills.validateScenario': { text: 42 },
    'drills.saveScenario': { text: 'name: x\n', path: '/etc/cron.d/x' },
    'drills.start': { file: '/tmp/scenario.yaml' },
    'drills.halt': { runId: '../runs' },
    'drills.current': { runId: 'x' },
    'drills.listRuns': 'all',
    'drills.getReport': { runId: '' },
    'drills.getReportHtml': { runId: 'a b' },
  };

  it.each(METHOD_NAMES)('%s refuses invalid input with ipc.input_invalid, and nothing runs', async (method) => {
    const before = await auditCount();
    expect(await bridge.transport.invoke(method, INVALID[method])).toMatchObject({ ok: false, error: { id: 'ipc.input_invalid' } });
    expect(await auditCount()).toBe(before);
  });

  it('refuses an unknown method', async () => {
    expect(await bridge.transport.invoke('hosts.format', {})).toMatchObject({ ok: false, error: { id: 'ipc.method_unknown' } });
  });
});

describe('web bridge: who may connect', () => {
  const startFrame = JSON.stringify({ type: 'request', id: 'x', method: 'hosts.start', input: { host: HOST, nodeId: 'n9' } });

  it('refuses a foreign or missing Origin, or a foreign Host, before the upgrade (the token is not even spent)', async () => {
    const token = web.bridge.tokens.issueSession();
    expect(await rawAttempt({ query: `?token=${token}`, origin: 'http://evil.example' })).toEqual({ status: 403, frames: [] });
    expect(await rawAttempt({ query: `?token=${token}` })).toEqual({ status: 403, frames: [] });
    expect(await rawAttempt({ query: `?token=${token}`, origin: web.bridge.origin, host: 'rebound.example' })).toEqual({ status: 403, frames: [] });
    const ok = await connect(token);
    ok.close();
  });

  it('refuses a wrong token and a reused one, in the URL or the first frame, processing no frame', async () => {
    const before = await auditCount();
    expect(await rawAttempt({ query: '?token=wrong', origin: web.bridge.origin })).toEqual({ status: 401, frames: [] });
    expect(await rawAttempt({ query: `?token=${web.bridge.tokens.launchToken}`, origin: web.bridge.origin })).toEqual({ status: 401, frames: [] });
    for (const token of ['wrong', web.bridge.tokens.launchToken]) {
      expect(await rawAttempt({ origin: web.bridge.origin, send: [JSON.stringify({ type: 'auth', token }), startFrame] })).toEqual({ code: 4401, frames: [] });
    }
    expect(await rawAttempt({ origin: web.bridge.origin, send: [startFrame] })).toEqual({ code: 4401, frames: [] });
    await expect(connect(web.bridge.tokens.launchToken)).rejects.toThrow(/refused/);
    expect(await auditCount()).toBe(before);
  });

  it('lets a tab reconnect once with its session token, which then cannot be reused', async () => {
    const sessions: string[] = [];
    const first = await connectWebBridge({ url: `${web.bridge.origin.replace('http', 'ws')}/ipc`, token: web.bridge.tokens.issueSession(), WebSocket: socketClass(web.bridge.origin), reconnect: false, onSession: (s) => sessions.push(s) });
    first.close();
    const second = await connect(sessions[0]!);
    expect((await createClient(second.transport).invoke('profiles.list', {})).selected).toBe('bridge');
    second.close();
    await expect(connect(sessions[0]!)).rejects.toThrow(/refused/);
  });

  it('closes on frames that are too big, binary or not JSON', async () => {
    const open = (frame: string | Buffer) => rawAttempt({ query: `?token=${web.bridge.tokens.issueSession()}`, origin: web.bridge.origin, send: [frame] });
    expect((await open('x'.repeat(1024 * 1024 + 1))).code).toBe(1009);
    expect((await open(Buffer.from([1, 2, 3]))).code).toBe(1003);
    expect((await open('{not json')).code).toBe(1007);
  });
});

describe('web bridge: events', () => {
  it('streams cluster.onDidChange (a snapshot, then deltas) and cluster.onDidChangeLeader', async () => {
    const updates: string[] = [];
    const stop = client.subscribe('cluster.onDidChange', (update) => updates.push(update.type));
    const leader = (await client.invoke('cluster.snapshot', {})).leader!;
    const change = nextEvent<{ previous: { nodeId: string } | null }>('cluster.onDidChangeLeader', (c) => c.previous?.nodeId === leader.nodeId);
    // startCluster names its nodes n1-..., n2-..., in order.
    await cluster.nodes[Number(/^n(\d+)-/.exec(leader.nodeId)![1]) - 1]!.stop();
    await change;
    stop();
    expect(updates[0]).toBe('snapshot');
    expect(updates.slice(1)).toContain('delta');
  }, 30_000);
});
