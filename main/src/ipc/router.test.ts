import { createClient, METHOD_NAMES, SwitchboardError, type MethodName } from '@switchboard/shared';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_RUN_ID } from './fake-drill-services.js';
import { createFakeServices, FAKE_PROFILE, fakeSnapshot, type FakeServices } from './fake-services.js';
import { connectMemoryPair, type MemoryPair } from './memory-transport.js';
import { Router } from './router.js';

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

/** One valid input per method (a missing method fails the type check). */
const VALID: Record<MethodName, unknown> = {
  'cluster.snapshot': {},
  'cluster.presenceUsers': { search: 'al', page: 1, perPage: 10 },
  'cluster.recentEvents': { limit: 10, kinds: ['posted'] },
  'cluster.probe': { timeoutMs: 2_000 },
  'postgres.health': {},
  'postgres.consistencyCheck': {},
  'hosts.listNodes': {},
  'hosts.start': { host: 'web1', nodeId: 'n1' },
  'hosts.drain': { host: 'web1', nodeId: 'n1' },
  'hosts.kill': { host: 'web1', nodeId: 'n1' },
  'hosts.restart': { host: 'web1', nodeId: 'n1' },
  'hosts.logs': { host: 'web1', nodeId: 'n1', lines: 1 },
  'hosts.acceptHostKey': { host: 'web1', fingerprint: FINGERPRINT },
  'audit.read': { limit: 5 },
  'profiles.list': {},
  'profiles.get': { name: 'local' },
  'profiles.save': { profile: { ...FAKE_PROFILE, name: 'staging' } },
  'profiles.select': { name: 'local' },
  'drills.listScenarios': {},
  'drills.validateScenario': { text: 'name: mine\nsteps: [{ action: kill-leader }]\n' },
  'drills.saveScenario': { text: 'name: mine\nsteps: [{ action: kill-leader }]\n' },
  'drills.start': { scenario: 'kill-leader' },
  'drills.halt': { runId: FAKE_RUN_ID },
  'drills.current': {},
  'drills.listRuns': {},
  'drills.getReport': { runId: FAKE_RUN_ID },
  'drills.getReportHtml': { runId: FAKE_RUN_ID },
};

/** One invalid input per method. */
const INVALID: Record<MethodName, unknown> = {
  'cluster.snapshot': { extra: 1 },
  'cluster.presenceUsers': { perPage: 0 },
  'cluster.recentEvents': { limit: 'ten' },
  'cluster.probe': { timeoutMs: 1 },
  'postgres.health': null,
  'postgres.consistencyCheck': [],
  'hosts.listNodes': { host: 'web1' },
  'hosts.start': { host: 'web1', nodeId: 'n1; rm -rf /' },
  'hosts.drain': { host: 'web1' },
  'hosts.kill': { host: 'WEB 1', nodeId: 'n1' },
  'hosts.restart': { host: 'web1', nodeId: 'n1', force: true },
  'hosts.logs': { host: 'web1', nodeId: 'n1', lines: 100_000 },
  'hosts.acceptHostKey': { host: 'web1', fingerprint: 'MD5:aa:bb' },
  'audit.read': { limit: -1 },
  'profiles.list': 'all',
  'profiles.get': { name: 'Bad Name' },
  'profiles.save': { profile: { name: 'x' } },
  'profiles.select': {},
  'drills.listScenarios': { all: true },
  'drills.validateScenario': { text: '' },
  'drills.saveScenario': { text: 'x'.repeat(200_001) },
  'drills.start': { scenario: 'kill-leader', text: 'name: x' },
  'drills.halt': { runId: '../../etc' },
  'drills.current': null,
  'drills.listRuns': [],
  'drills.getReport': { runId: 'a/b' },
  'drills.getReportHtml': { path: '/tmp/report.html' },
};

let fake: FakeServices;
let pair: MemoryPair;
let logLines: Record<string, unknown>[];

function setup(patch: (fake: FakeServices) => void = () => {}) {
  fake = createFakeServices();
  patch(fake);
  logLines = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  pair = connectMemoryPair(new Router({ services: fake.services, log }));
  return createClient(pair.client);
}

afterEach(() => pair?.close());

describe('router over an in-memory transport pair', () => {
  it.each(METHOD_NAMES)('%s answers valid input with output that passes the contract', async (method) => {
    const client = setup();
    const output = await client.invoke(method, VALID[method] as never);
    expect(output).toBeTypeOf('object');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatch(new RegExp(`^${method.replace('.', '\\.')}\\(`));
  });

  it.each(METHOD_NAMES)('%s refuses invalid input before any service runs', async (method) => {
    setup();
    const result = await pair.client.invoke(method, INVALID[method]);
    expect(result).toMatchObject({ ok: false, error: { id: 'ipc.input_invalid' } });
    expect(result.ok === false && result.error.detail).toContain(method);
    expect(fake.calls).toEqual([]);
  });

  it('the typed client refuses invalid input without sending it', async () => {
    const client = setup();
    await expect(client.invoke('hosts.start', { host: 'web1', nodeId: 'n1; rm -rf /' })).rejects.toMatchObject({ id: 'ipc.input_invalid' });
    expect(pair.sent).toEqual([]);
  });

  it('passes defaults to the service and routes node actions with their verb', async () => {
    const client = setup();
    await client.invoke('cluster.presenceUsers', {});
    await client.invoke('hosts.drain', { host: 'web1', nodeId: 'n2' });
    expect(fake.calls).toEqual(['cluster.presenceUsers({"page":0,"perPage":50})', 'hosts.drain({"host":"web1","nodeId":"n2"})']);
  });

  it.each(['cluster.nope', 'toString', '__proto__', 'constructor', 'hosts.'])('refuses the unknown method %s', async (method) => {
    setup();
    const result = await pair.client.invoke(method, {});
    expect(result).toMatchObject({ ok: false, error: { id: 'ipc.method_unknown' } });
    expect(fake.calls).toEqual([]);
  });

  it('refuses a method name that is not a string as a malformed frame', async () => {
    setup();
    const result = await pair.client.invoke(42 as never, {});
    expect(result).toMatchObject({ ok: false, error: { id: 'ipc.frame_invalid' } });
  });

  it('renders a SwitchboardError as {id, message, detail}', async () => {
    const client = setup();
    const error = await client.invoke('hosts.kill', { host: 'web1', nodeId: 'missing' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toMatchObject({ id: 'nodectl.unknown_node', detail: 'no node "missing" on web1' });
  });

  it('turns an unknown throw into internal.error: logged with its stack, nothing of it sent', async () => {
    setup();
    const result = await pair.client.invoke('hosts.kill', { host: 'web1', nodeId: 'boom' });
    expect(result).toEqual({ ok: false, error: { id: 'internal.error', message: 'An internal error occurred.', detail: '' } });
    expect(JSON.stringify(pair.sent)).not.toContain('hunter2');
    const logged = logLines.find((line) => line.msg === 'ipc call failed') as { err: { stack: string }; method: string };
    expect(logged.method).toBe('hosts.kill');
    expect(logged.err.stack).toContain('hunter2');
  });

  it('refuses a malformed service output instead of sending it', async () => {
    setup((f) => {
      f.services.cluster.snapshot = () => ({ ...fakeSnapshot(), nodes: [{ id: 'n1' }] }) as never;
    });
    const result = await pair.client.invoke('cluster.snapshot', {});
    expect(result).toEqual({ ok: false, error: { id: 'ipc.output_invalid', message: expect.any(String), detail: 'method=cluster.snapshot' } });
    expect(logLines.some((line) => line.msg === 'ipc output invalid' && line.method === 'cluster.snapshot')).toBe(true);
  });

  it('strips fields the contract does not declare', async () => {
    setup((f) => {
      f.services.audit.read = () => ({ entries: [], skipped: 0, password: 'hunter2' }) as never;
    });
    const result = await pair.client.invoke('audit.read', {});
    expect(result).toEqual({ ok: true, output: { entries: [], skipped: 0 } });
    expect(JSON.stringify(pair.sent)).not.toContain('hunter2');
  });

  it('answers a malformed frame with ipc.frame_invalid', async () => {
    setup();
    pair.sendRaw({ type: 'request', id: 'x1', method: 'cluster.snapshot', input: {}, extra: 1 });
    pair.sendRaw('not a frame');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pair.sent.map((frame) => [frame.type === 'response' && frame.id, frame.type === 'response' && !frame.ok && frame.error.id])).toEqual([
      ['x1', 'ipc.frame_invalid'],
      ['', 'ipc.frame_invalid'],
    ]);
    expect(fake.calls).toEqual([]);
  });
});

describe('router: drills', () => {
  it('routes a start by name or by text, and renders drill.not_found for an unknown run', async () => {
    const client = setup();
    expect(await client.invoke('drills.start', { scenario: 'kill-leader' })).toEqual({ runId: FAKE_RUN_ID });
    await client.invoke('drills.start', { text: 'name: mine' });
    expect(fake.calls).toEqual(['drills.start({"scenario":"kill-leader"})', 'drills.start({"text":"name: mine"})']);
    await expect(client.invoke('drills.getReport', { runId: '20231114t221320-zzzzzz' })).rejects.toMatchObject({ id: 'drill.not_found' });
  });

  it('delivers drills.onDidProgress payloads that pass the contract and drops others', async () => {
    const client = setup();
    const seen: string[] = [];
    client.subscribe('drills.onDidProgress', (progress) => seen.push(progress.event.type));
    await new Promise((resolve) => setTimeout(resolve, 0));
    fake.emit('drills.onDidProgress', { runId: FAKE_RUN_ID, seq: 0, event: { type: 'phase', runId: FAKE_RUN_ID, at: 1, phase: 'baseline' } });
    fake.emit('drills.onDidProgress', { runId: FAKE_RUN_ID, seq: 1, event: { type: 'phase', runId: FAKE_RUN_ID, at: 1, phase: 'exploding' } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['phase']);
  });
});

describe('router events', () => {
  it('delivers subscribed events and stops after unsubscribe', async () => {
    const client = setup();
    const seen: unknown[] = [];
    const stop = client.subscribe('cluster.onDidChangeLeader', (change) => seen.push(change));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.listenerCount('cluster.onDidChangeLeader')).toBe(1);
    fake.emit('cluster.onDidChangeLeader', { at: 1, previous: null, current: { nodeId: 'n1', epoch: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([{ at: 1, previous: null, current: { nodeId: 'n1', epoch: 2 } }]);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.listenerCount('cluster.onDidChangeLeader')).toBe(0);
  });

  it('subscribes once per event however many listeners, and drops everything on close', async () => {
    const client = setup();
    const a: unknown[] = [];
    const b: unknown[] = [];
    client.subscribe('cluster.onDidChange', (update) => a.push(update.type));
    client.subscribe('cluster.onDidChange', (update) => b.push(update.type));
    client.subscribe('hosts.onDidAct', () => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.listenerCount('cluster.onDidChange')).toBe(1);
    fake.emit('cluster.onDidChange', { type: 'snapshot', snapshot: fakeSnapshot() });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([a, b]).toEqual([['snapshot'], ['snapshot']]);
    pair.close();
    expect([fake.listenerCount('cluster.onDidChange'), fake.listenerCount('hosts.onDidAct')]).toEqual([0, 0]);
  });

  it('drops an event payload that fails the contract, and logs it', async () => {
    const client = setup();
    const seen: unknown[] = [];
    client.subscribe('hosts.onDidAct', (event) => seen.push(event));
    await new Promise((resolve) => setTimeout(resolve, 0));
    fake.emit('hosts.onDidAct', { phase: 'exploded' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([]);
    expect(pair.sent.some((frame) => frame.type === 'event')).toBe(false);
    expect(logLines.some((line) => line.msg === 'ipc event payload invalid' && line.event === 'hosts.onDidAct')).toBe(true);
  });

  it('refuses to subscribe to an unknown event', async () => {
    const client = setup();
    expect(() => client.subscribe('cluster.onDidExplode' as never, () => {})).toThrow(SwitchboardError);
    pair.sendRaw({ type: 'subscribe', id: 's1', event: 'cluster.onDidExplode' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pair.sent).toEqual([{ type: 'response', id: 's1', ok: false, error: expect.objectContaining({ id: 'ipc.event_unknown' }) }]);
  });
});
