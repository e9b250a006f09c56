import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from './support/node.js';

describe('rate limits, metrics and logs', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode({ rateLimitPerIp: 40, rateLimitPerUser: 10 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 429 with Mattermost headers past the per-user limit, and recovers', async () => {
    const user = await t.user('limited');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Far more requests than the limit, so some are refused even when a loaded machine spreads them over seconds.
    const responses = await Promise.all(Array.from({ length: 80 }, () => user.get('/users/me')));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(limited[0]!.body).toMatchObject({ id: 'api.context.rate_limited.app_error', status_code: 429 });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0]!.headers.get('x-ratelimit-limit')).toBe('10');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await user.get('/users/me')).status).toBe(200);
  });

  it('answers 429 past the per-IP limit even without a session', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const anon = t.anonymous();
    const responses = await Promise.all(Array.from({ length: 200 }, () => anon.get('/system/ping')));
    expect(responses.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await anon.get('/system/ping')).status).toBe(200);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/switchboard_http_request_duration_seconds_count\{[^}]*route="\/api\/v4\/system\/ping"/);
    expect(text).toMatch(/switchboard_http_rate_limited_total\{scope="user"/);
    expect(text).toContain('switchboard_ws_connections');
    expect(text).toContain('switchboard_process_resident_memory_bytes');
  });

  it('logs one JSON line per request with its request id, and never a password or token', async () => {
    const anon = t.anonymous();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const res = await anon.post('/users/login', { login_id: 'limited', password: 'correct-horse-battery' });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[a-z0-9]{26}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = lines.find((l) => l.reqId === requestId && l.msg === 'request done');
    expect(line).toMatchObject({ route: '/api/v4/users/login', status: 200, nodeId: t.node.nodeId });
    const all = t.logs.join('\n');
    expect(all).not.toContain('correct-horse-battery');
    expect(all).not.toContain(res.headers.get('token')!);
  });
});
