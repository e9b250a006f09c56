import { createFrameTransport, type FrameChannel, type FrameTransport } from './frame-transport.js';
import { serverFrameSchema, type ClientFrame, type ServerFrame } from './wire.js';

/**
 * The renderer's end of the web bridge: a WebSocket to `/ipc` that authenticates with the
 * one-time launch token, keeps the session token each welcome frame carries, and reconnects with
 * it (each session token works once; the next welcome brings the next). Works with the browser's
 * WebSocket and with the `ws` package's.
 */

/** The part of a WebSocket this client uses (browser WebSocket and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

/** Options of {@link connectWebBridge}. */
export interface WebBridgeClientOptions {
  /** `ws://127.0.0.1:PORT/ipc`. */
  url: string;
  /** The launch token (from the page's `#token=`), or a session token kept from before. */
  token: string;
  /** The WebSocket constructor. @default globalThis.WebSocket */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Told each new session token (a tab keeps it in sessionStorage to survive a reload). */
  onSession?: (token: string) => void;
  /** Reconnect after a drop, with the session token. @default true */
  reconnect?: boolean;
  /** Told when the bridge refused us or the connection dropped for good. */
  onClosed?: (code: number) => void;
}

/** A live connection to the bridge. */
export interface WebBridgeClient {
  /** The transport for `createClient`. */
  transport: FrameTransport;
  /** Closes for good. */
  close(): void;
}

/** Timers exist wherever shared/ runs; it compiles without DOM or Node types, so declare the one used. */
declare const setTimeout: (callback: () => void, ms: number) => unknown;

const OPEN = 1;
/** Closed by the bridge for a bad token: no retry would succeed. */
const UNAUTHORIZED = 4401;

/** The parsed server frame in a WebSocket message, or undefined when it is not one. */
function parseServerFrame(data: unknown): ServerFrame | undefined {
  try {
    return serverFrameSchema.safeParse(JSON.parse(String(data))).data;
  } catch {
    return undefined;
  }
}

/** One tab's connection: the socket of the moment, the token for the next, the transport over both. */
class BridgeConnection implements FrameChannel {
  readonly #listeners = new Set<(frame: ServerFrame) => void>();
  /** Declared after #listeners: creating it subscribes to this channel at once. */
  readonly transport: FrameTransport = createFrameTransport(this);
  readonly #Socket: new (url: string) => WebSocketLike;
  #socket: WebSocketLike | undefined;
  #token: string;
  #welcomed = false;
  #closed = false;
  #attempt = 0;

  constructor(
    private readonly options: WebBridgeClientOptions,
    private readonly settle: { resolve: (client: WebBridgeClient) => void; reject: (err: Error) => void },
  ) {
    this.#Socket = options.WebSocket ?? (globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike }).WebSocket;
    this.#token = options.token;
  }

  send(frame: ClientFrame): void {
    if (this.#socket?.readyState === OPEN) this.#socket.send(JSON.stringify(frame));
    else if (frame.type === 'request') throw new Error('the web bridge is not connected');
    // A subscribe frame while disconnected is not lost: resubscribe() repeats it on reconnect.
  }

  onFrame(listener: (frame: ServerFrame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens a socket and authenticates with the token held now. */
  open(): void {
    const ws = new this.#Socket(this.options.url);
    this.#socket = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', token: this.#token })));
    ws.addEventListener('message', (event) => {
      const frame = parseServerFrame(event.data);
      if (frame?.type === 'welcome') this.#welcome(frame.session);
      else if (frame) this.#listeners.forEach((listener) => listener(frame));
    });
    ws.addEventListener('close', ({ code }) => {
      if (this.#socket === ws) this.#dropped(code);
    });
  }

  close(): void {
    this.#closed = true;
    this.transport.dispose();
    this.#socket?.close(1000, 'bye');
  }

  #welcome(session: string): void {
    this.#token = session;
    this.#attempt = 0;
    this.options.onSession?.(session);
    if (this.#welcomed) this.transport.resubscribe();
    else this.settle.resolve({ transport: this.transport, close: () => this.close() });
    this.#welcomed = true;
  }

  #dropped(code: number): void {
    this.transport.failPending('the connection to the web bridge closed');
    if (!this.#welcomed) {
      this.#closed = true;
      this.settle.reject(new Error('the web bridge refused the connection'));
      return;
    }
    if (this.#closed || this.options.reconnect === false || code === UNAUTHORIZED) {
      this.#closed = true;
      this.options.onClosed?.(code);
      return;
    }
    this.#attempt += 1;
    setTimeout(() => (this.#closed ? undefined : this.open()), Math.min(5_000, 100 * 2 ** this.#attempt));
  }
}

/**
 * Connects to the bridge; resolves once the welcome frame arrived, rejects if the first
 * connection is refused.
 * @example const bridge = await connectWebBridge({ url: `ws://${location.host}/ipc`, token }); const client = createClient(bridge.transport);
 */
export function connectWebBridge(options: WebBridgeClientOptions): Promise<WebBridgeClient> {
  return new Promise((resolve, reject) => new BridgeConnection(options, { resolve, reject }).open());
}
