import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { authFrameSchema, CONTRACT_VERSION, MAX_FRAME_BYTES, type ServerFrame } from '@switchboard/shared';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { BridgeTokens } from './bridge-tokens.js';
import type { Router } from './router.js';
import { isOwnHost, isSameOrigin } from './security.js';

/**
 * The web bridge's WebSocket transport at `/ipc`: it checks `Host`, `Origin` and the token, then
 * moves frames between one socket and one router conversation. No logic beyond that.
 * Order on every upgrade: Host and Origin (refused with 403 before the upgrade), then the token:
 * from `?token=` (refused with 401 before the upgrade) or else from the first frame, which must be
 * `{type:'auth', token}` within {@link AUTH_TIMEOUT_MS} (close 4401 otherwise). Nothing reaches
 * the router before that. Then a `welcome` frame carries the session token for a reconnect.
 */

/** How long a socket may stay unauthenticated, ms. @default 5000 */
export const AUTH_TIMEOUT_MS = 5_000;
/** Outgoing bytes a socket may leave unread before it is closed as too slow. @default 8388608 (8 MiB) */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Close codes: 4401 not authenticated; 1003 binary frame; 1007 not JSON; 1013 reader too slow. */
export const CLOSE = { unauthorized: 4401, binary: 1003, notJson: 1007, tooSlow: 1013, goingAway: 1001 } as const;

/** What the transport needs. */
export interface WsTransportDeps {
  router: Router;
  tokens: BridgeTokens;
  log: Logger;
  /** The bridge's address and port, for the Host and Origin checks. */
  address: string;
  port: number;
}

/** The transport: an upgrade handler for the HTTP server, and a way to close every socket. */
export interface WsTransport {
  /** Handles an HTTP upgrade for `/ipc` (the server's `upgrade` event). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket (1001) and stops accepting. */
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** The transport: per socket, the checks, then one router conversation. */
class WebSocketTransport implements WsTransport {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  readonly #origin: string;
  readonly #log: Logger;

  constructor(private readonly deps: WsTransportDeps) {
    this.#origin = `http://${deps.address}:${deps.port}`;
    this.#log = deps.log.child({ transport: 'web' });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.#origin);
    if (url.pathname !== '/ipc') return refuse(socket, 404, 'Not Found');
    if (!isOwnHost(req.headers.host, this.deps.address, this.deps.port) || !isSameOrigin(req.headers.origin, this.#origin)) {
      this.#log.warn({ origin: req.headers.origin, host: req.headers.host }, 'ipc connection refused: foreign origin');
      return refuse(socket, 403, 'Forbidden');
    }
    const token = url.searchParams.get('token');
    if (token !== null && !this.deps.tokens.consume(token)) {
      this.#log.warn('ipc connection refused: bad token');
      return refuse(socket, 401, 'Unauthorized');
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => (token !== null ? this.#serve(ws) : this.#awaitAuth(ws)));
  }

  close(): Promise<void> {
    for (const client of this.#wss.clients) client.close(CLOSE.goingAway, 'console stopping');
    return new Promise((resolve) => {
      // Sockets that do not finish the closing handshake promptly are cut.
      const timer = setTimeout(() => this.#wss.clients.forEach((client) => client.terminate()), 1_000);
      this.#wss.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The first frame must be a valid auth frame; nothing else is looked at before it. */
  #awaitAuth(ws: WebSocket): void {
    const timer = setTimeout(() => ws.close(CLOSE.unauthorized, 'authentication timed out'), AUTH_TIMEOUT_MS);
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      const frame = isBinary ? undefined : authFrameSchema.safeParse(parseJson(data)).data;
      if (!frame || !this.deps.tokens.consume(frame.token)) {
        this.#log.warn('ipc connection refused: bad token');
        ws.close(CLOSE.unauthorized, 'unauthorized');
        return;
      }
      this.#serve(ws);
    });
  }

  /** Welcomes an authenticated socket, then moves frames between it and a router conversation. */
  #serve(ws: WebSocket): void {
    const send = (frame: ServerFrame) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.#log.warn({ buffered: ws.bufferedAmount }, 'ipc socket too slow, closing');
        ws.close(CLOSE.tooSlow, 'too slow');
        return;
      }
      ws.send(JSON.stringify(frame));
    };
    send({ type: 'welcome', session: this.deps.tokens.issueSession(), contractVersion: CONTRACT_VERSION });
    const connection = this.deps.router.connect(send);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(CLOSE.binary, 'text frames only');
      const frame = parseJson(data);
      if (frame === undefined) return ws.close(CLOSE.notJson, 'not JSON');
      connection.receive(frame);
    });
    ws.on('close', () => connection.close());
    ws.on('error', (err) => this.#log.debug({ err }, 'ipc socket error'));
    this.#log.info('ipc connection opened');
  }
}

/**
 * Creates the `/ipc` WebSocket transport.
 * @example const ws = createWsTransport({ router, tokens, log, address: '127.0.0.1', port }); server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
 */
export function createWsTransport(deps: WsTransportDeps): WsTransport {
  return new WebSocketTransport(deps);
}

/** The frame's JSON, or undefined when it is not JSON. */
function parseJson(data: RawData): unknown {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
