import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The end users' web client, served by every node at `/` from the Vite build
 * (cluster-node/dist/web). The files are read once at start into memory: a node serves the
 * build it was deployed with, and a lookup is an exact key match, so no request path ever
 * reaches the file system (no traversal to guard). `/api/*` and `/metrics` are never answered
 * here, so the client can never shadow the API.
 */

/** Where `npm run build` puts the web client: dist/web beside the node's compiled code. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

/** A Host header safe to repeat in a header: a DNS name or IPv4 or bracketed IPv6, and a port. */
const SAFE_HOST = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;

/**
 * The Content-Security-Policy of every page and asset: only this origin's own files, no inline
 * script or style, no plugins, no framing. The WebSocket goes to this origin too: CSP level 3
 * browsers match ws:/wss: of the same host with 'self'; for older ones the host the page was
 * asked for is named explicitly (only when it is a plain host[:port]).
 * @example webCsp('chat.example.com') // "... connect-src 'self' ws://chat.example.com wss://chat.example.com ..."
 */
export function webCsp(host?: string): string {
  const socket = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const CONTENT_TYPES: Record<string, string> = {
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
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite's hashed output (`assets/name-<hash>.ext`): its content never changes under that name. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** One file of the build, ready to send. */
interface WebFile {
  body: Buffer;
  type: string;
  immutable: boolean;
}

/** The loaded build: url path -> file; empty when the folder is missing or has no index.html. */
export interface WebSite {
  dir: string;
  files: ReadonlyMap<string, WebFile>;
  /** Whether the build was found (index.html present). */
  built: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Reads the build in `dir` into memory; a missing folder gives an unbuilt site, never an error. */
export function loadWebSite(dir: string = DEFAULT_WEB_DIR): WebSite {
  const files = new Map<string, WebFile>();
  let exists = false;
  try {
    exists = statSync(dir).isDirectory();
  } catch {
    exists = false;
  }
  if (exists) {
    for (const path of walk(dir)) {
      const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
      files.set(urlPath, {
        body: readFileSync(path),
        type: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
        immutable: HASHED_ASSET.test(urlPath),
      });
    }
  }
  return { dir, files, built: files.has('/index.html') };
}

/** The page `/` answers when the node has no web build. */
function notBuiltPage(dir: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard</title></head>
<body><h1>Switchboard node</h1><p>The web chat client is not built on this node.</p>
<p>Build it with <code>npm run build</code> (or <code>npm run build:web</code>) in the repository; it is served from <code>${escapeHtml(dir)}</code>.</p>
<p>The Mattermost API v4 is at <code>/api/v4</code>.</p></body></html>\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Paths that belong to the API or the operator, never to the web client. */
export function isReservedPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

function securityHeaders(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', webCsp(request.headers.host))
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer');
}

/**
 * Answers a GET or HEAD the API did not match, if it is the web client's: a file of the build,
 * or index.html for a client-side route (a path without a file extension, outside /assets/).
 * Returns false to let the caller answer 404 the Mattermost way.
 */
export function serveWeb(site: WebSite, request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = decodePath(request.url.split('?')[0] ?? '/');
  if (path === undefined || isReservedPath(path)) return false;
  if (!site.built) {
    if (path !== '/' && path !== '/index.html') return false;
    void securityHeaders(request, reply).code(200).header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(notBuiltPage(site.dir));
    return true;
  }
  let file = site.files.get(path);
  const isIndex = path === '/' || path === '/index.html' || (!file && isClientRoute(path));
  if (isIndex) file = site.files.get('/index.html');
  if (!file) return false;
  void securityHeaders(request, reply)
    .code(200)
    .header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .type(file.type)
    .send(file.body);
  return true;
}

/** A path the single-page app routes itself: no extension in its last segment, not under /assets/. */
function isClientRoute(path: string): boolean {
  if (path.startsWith('/assets/')) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

function decodePath(raw: string): string | undefined {
  try {
    const path = decodeURIComponent(raw);
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}
