import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

/** Content types of the files a built renderer holds. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A file to serve. */
export interface StaticFile {
  type: string;
  body: Buffer;
}

function readIfFile(path: string): Buffer | undefined {
  try {
    return statSync(path).isFile() ? readFileSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file of the built renderer a request path names: `not-built` when `rendererDir` holds no
 * index.html, undefined when there is no such file or the path leaves the folder (`..`, encoded
 * or not, a NUL byte). A path without an extension is the single-page app's route: index.html.
 * @example resolveStaticFile('/app/renderer/dist', '/assets/index-abc.js')
 */
export function resolveStaticFile(rendererDir: string | undefined, requestUrl: string): StaticFile | 'not-built' | undefined {
  if (!rendererDir || !existsSync(join(rendererDir, 'index.html'))) return 'not-built';
  let path: string;
  try {
    path = decodeURIComponent(new URL(requestUrl, 'http://bridge.invalid').pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const root = resolve(rendererDir);
  const target = resolve(root, `.${path}`);
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  const wanted = path.endsWith('/') ? join(target, 'index.html') : target;
  const ext = extname(wanted);
  const body = readIfFile(wanted) ?? (ext === '' ? readIfFile(join(root, 'index.html')) : undefined);
  if (!body) return undefined;
  return { type: TYPES[ext === '' ? '.html' : ext] ?? 'application/octet-stream', body };
}
