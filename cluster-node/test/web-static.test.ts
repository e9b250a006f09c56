import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from './support/node.js';

/**
 * The node serves the web chat client at `/` (cluster-node/src/http/web-static.ts): content types,
 * immutable caching for hashed assets, no-cache for index.html, the SPA fallback for client routes,
 * the security headers, and never in the way of /api/v4 or /metrics. A build made here (a few
 * files in a temp folder, as Vite lays them out) keeps the test independent of `npm run build`.
 */

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("switchboard web client");';
const STYLE = 'body { margin: 0; }';

function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-AbCd1234.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-Zz9_-x8Q.css'), STYLE);
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  return dir;
}

async function get(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('web client serving', () => {
  let t: TestNode;
  let dir: string;

  beforeAll(async () => {
    dir = fakeBuild();
    t = await startTestNode({ webDir: dir });
  });

  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and the security headers', async () => {
    const page = await get(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const host = new URL(t.url).host;
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
  });

  it('names no socket host in the policy when the Host header is not a plain host', async () => {
    const { request } = await import('node:http');
    const { port } = new URL(t.url);
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: 'evil.example; script-src *' } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('evil');
  });

  it('serves hashed assets with their content type, immutable for a year', async () => {
    const script = await get(`${t.url}/assets/index-AbCd1234.js`);
    expect(script.status).toBe(200);
    expect(script.text).toBe(SCRIPT);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const style = await get(`${t.url}/assets/index-Zz9_-x8Q.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(style.text).toBe(STYLE);
    const robots = await get(`${t.url}/robots.txt`);
    expect(robots.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(robots.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers client-side routes with index.html, but a missing asset or file with 404', async () => {
    for (const route of ['/login', '/teams/abc/channels/town-square', '/index.html']) {
      const page = await get(`${t.url}${route}`);
      expect(page.status, route).toBe(200);
      expect(page.text, route).toBe(INDEX);
      expect(page.headers.get('cache-control'), route).toBe('no-cache');
    }
    expect((await get(`${t.url}/assets/index-missing1.js`)).status).toBe(404);
    expect((await get(`${t.url}/favicon.png`)).status).toBe(404);
    // Lookups are exact keys of the build read at start: a climbing path is just another client route.
    const climbing = await get(`${t.url}/..%2f..%2fetc%2fpasswd`);
    expect(climbing.text).toBe(INDEX);
    expect((await get(`${t.url}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('never shadows the API: unknown /api/v4 routes keep Mattermost 404s, real ones answer', async () => {
    const unknown = await get(`${t.url}/api/v4/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(unknown.text).id).toBe('api.context.404.app_error');
    expect((await get(`${t.url}/api`)).status).toBe(404);
    expect(JSON.parse((await get(`${t.url}/api/other`)).text).id).toBe('api.context.404.app_error');
    const ping = await get(`${t.url}/api/v4/system/ping`);
    expect(ping.status).toBe(200);
    expect(JSON.parse(ping.text).status).toBe('OK');
    expect((await get(`${t.url}/metrics`)).text).toContain('switchboard_');
  });

  it('serves the client to GET and HEAD only', async () => {
    const posted = await get(`${t.url}/login`, { method: 'POST' });
    expect(posted.status).toBe(404);
    expect(JSON.parse(posted.text).id).toBe('api.context.404.app_error');
    const head = await fetch(`${t.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('web client serving without a build', () => {
  let t: TestNode;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-web-empty-'));
    t = await startTestNode({ webDir: join(dir, 'not-there') });
  });

  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with a short page saying how to build the client, and logs it at start', async () => {
    const page = await get(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('npm run build');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await get(`${t.url}/some/route`)).status).toBe(404);
    expect(t.logs.some((line) => line.includes('web client not built'))).toBe(true);
  });
});
