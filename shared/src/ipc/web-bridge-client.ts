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

/**
 * Connects to the bridge; resolves once the welcome frame arrived, rejects if the first
 * connection is refused.
 * @example const bridge = await connectWebBridge({ url: `ws://${location.host}/ipc`, token }); const client = createClient(bridge.transport);
 */
export function connectWebBridge(options: WebBridgeClientOptions): Promise<WebBridgeClient> {
  const Socket = options.WebSocket ?? (globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike }).WebSocket;
  const listeners = new Set<(frame: ServerFrame) => void>();
  let socket: WebSocketLike | undefined;
  let token = options.token;
  let closed = false;
  let attempt = 0;
  const channel: FrameChannel = {
    send(frame: ClientFrame) {
      if (socket?.readyState === OPEN) socket.send(JSON.stringify(frame));
      else if (frame.type === 'request') throw new Error('the web bridge is not connected');
      // A subscribe frame while disconnected is not lost: resubscribe() repeats it on reconnect.
    },
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const transport = createFrameTransport(channel);

  return new Promise((resolve, reject) => {
    let welcomed = false;
    const open = () => {
      const ws = new Socket(options.url);
      socket = ws;
      ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.addEventListener('message', (event) => {
        let json: unknown;
        try {
          json = JSON.parse(String(event.data));
        } catch {
          return;
        }
        const frame = serverFrameSchema.safeParse(json);
        if (!frame.success) return;
        if (frame.data.type !== 'welcome') return listeners.forEach((listener) => listener(frame.data));
        token = frame.data.session;
        attempt = 0;
        options.onSession?.(token);
        if (welcomed) transport.resubscribe();
        else resolve({ transport, close: stop });
        welcomed = true;
      });
      ws.addEventListener('close', ({ code }) => {
        if (socket !== ws) return;
        transport.failPending('the connection to the web bridge closed');
        if (!welcomed) {
          closed = true;
          return reject(new Error('the web bridge refused the connection'));
        }
        if (closed || options.reconnect === false || code === UNAUTHORIZED) return finish(code);
        attempt += 1;
        setTimeout(() => (closed ? undefined : open()), Math.min(5_000, 100 * 2 ** attempt));
      });
    };
    const finish = (code: number) => {
      closed = true;
      options.onClosed?.(code);
    };
    const stop = () => {
      closed = true;
      transport.dispose();
      socket?.close(1000, 'bye');
    };
    open();
  });
}
