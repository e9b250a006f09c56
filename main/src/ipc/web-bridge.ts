import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTRACT_VERSION } from '@switchboard/shared';
import type { Logger } from 'pino';
import { BridgeTokens } from './bridge-tokens.js';
import type { Router } from './router.js';
import { contentSecurityPolicy, isOwnHost } from './security.js';
import { resolveStaticFile } from './static-files.js';
import { createWsTransport, type WsTransport } from './ws-transport.js';

/**
 * The web bridge: a loopback HTTP server that serves the built renderer (or a page saying it is
 * not built) under a strict CSP, and the contract over a WebSocket at `/ipc` guarded by a
 * one-time token and an Origin check (ws-transport.ts). It listens on 127.0.0.1 only.
 */

/** The only address the bridge listens on. */
export const BRIDGE_ADDRESS = '127.0.0.1';

/** Options of {@link startWebBridge}. */
export interface WebBridgeOptions {
  router: Router;
  log: Logger;
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
  /** The built renderer's folder (served when it holds index.html). */
  rendererDir?: string;
  /** Token store (tests pass one with a known launch token). @default new BridgeTokens() */
  tokens?: BridgeTokens;
}

/** A running bridge. */
export interface WebBridge {
  /** `http://127.0.0.1:PORT`, the only origin allowed to open `/ipc`. */
  origin: string;
  port: number;
  /** The URL to open, with the one-time launch token in its fragment (never sent to a server). */
  launchUrl: string;
  tokens: BridgeTokens;
  /** Closes every socket, then the server. */
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://${BRIDGE_ADDRESS}:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

/** The page served when renderer/dist has not been built: no script, nothing to connect with. */
export function notBuiltPage(): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Switchboard Console</title></head>',
    '<body><h1>Switchboard Console</h1>',
    '<p>The console renderer is not built. Build it (renderer/dist), then start the console again.</p>',
    `<p>The web bridge is running; IPC contract version <code>${CONTRACT_VERSION}</code>.</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

function serveHttp(req: IncomingMessage, res: ServerResponse, port: number, rendererDir: string | undefined): void {
  const headers = securityHeaders(port);
  const reply = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (!isOwnHost(req.headers.host, BRIDGE_ADDRESS, port)) return reply(421, 'text/plain; charset=utf-8', 'Misdirected request\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return reply(405, 'text/plain; charset=utf-8', 'Method not allowed\n');
  }
  const file = resolveStaticFile(rendererDir, req.url ?? '/');
  if (file === 'not-built') return reply(200, 'text/html; charset=utf-8', notBuiltPage());
  if (file === undefined) return reply(404, 'text/plain; charset=utf-8', 'Not found\n');
  reply(200, file.type, file.body);
}

/**
 * Starts the bridge on 127.0.0.1 (a free port unless one is given).
 * @example const bridge = await startWebBridge({ router, log, rendererDir }); console.log(bridge.launchUrl);
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const tokens = options.tokens ?? new BridgeTokens();
  const log = options.log.child({ component: 'web-bridge' });
  let port = 0;
  const server: Server = createServer((req, res) => {
    try {
      serveHttp(req, res, port, options.rendererDir);
    } catch (err) {
      log.error({ err }, 'http request failed');
      if (!res.headersSent) res.writeHead(500, securityHeaders(port));
      res.end();
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BRIDGE_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  // Registered in the microtasks right after listening, before any connection can be handled.
  const transport: WsTransport = createWsTransport({ router: options.router, tokens, log, address: BRIDGE_ADDRESS, port });
  server.on('upgrade', (req, socket, head) => transport.handleUpgrade(req, socket, head));
  const origin = `http://${BRIDGE_ADDRESS}:${port}`;
  log.info({ origin }, 'web bridge listening');
  return {
    origin,
    port,
    launchUrl: `${origin}/#token=${tokens.launchToken}`,
    tokens,
    async close() {
      await transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
