import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStaticFile } from './static-files.js';

const root = mkdtempSync(join(tmpdir(), 'sb-static-'));
const dist = join(root, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<html>app</html>');
writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'secret');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveStaticFile', () => {
  it('says not-built without an index.html', () => {
    expect(resolveStaticFile(undefined, '/')).toBe('not-built');
    expect(resolveStaticFile(join(root, 'missing'), '/')).toBe('not-built');
  });

  it('serves files with their type, index.html for / and for app routes', () => {
    expect(resolveStaticFile(dist, '/assets/app.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
    expect(String((resolveStaticFile(dist, '/') as { body: Buffer }).body)).toBe('<html>app</html>');
    expect(String((resolveStaticFile(dist, '/nodes/n1?tab=logs') as { body: Buffer }).body)).toBe('<html>app</html>');
    expect(resolveStaticFile(dist, '/assets/missing.js')).toBeUndefined();
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/index.html%00.js', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveStaticFile(dist, path)).toBeUndefined();
  });
});
