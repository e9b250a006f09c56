import { WebSocketClient } from '@mattermost/client';
import WebSocket from 'ws';

// The official client reads WebSocket.OPEN and builds CloseEvents from globals, as in a browser.
const g = globalThis as Record<string, unknown>;
g.WebSocket ??= WebSocket;
g.CloseEvent ??= class CloseEvent extends Event {
  code: number;
  constructor(type: string, init: { code?: number } = {}) {
    super(type);
    this.code = init.code ?? 0;
  }
};

/** One WebSocket event as the official client hands it over. */
export interface WsMessage {
  event: string;
  data: Record<string, any>;
  seq: number;
}

/** An official WebSocketClient with everything it received, and helpers to wait on it. */
export interface OfficialSocket {
  client: WebSocketClient;
  messages: WsMessage[];
  /** Times the client was told it missed messages (a new connection_id in hello). */
  missed: number;
  /** Times it reconnected. */
  reconnects: number;
  next(event: string, match?: (m: WsMessage) => boolean, timeoutMs?: number): Promise<WsMessage>;
  close(): void;
}

/**
 * Connects the official WebSocketClient (with `ws` as its socket) to a node or balancer URL.
 * Retry times are short so failover tests run quickly; the protocol is the client's own.
 */
export function connectOfficial(baseUrl: string, token: string, options: { retryMs?: number } = {}): OfficialSocket {
  const client = new WebSocketClient({
    newWebSocketFn: (url: string) => new WebSocket(url) as never,
    minWebSocketRetryTime: options.retryMs ?? 3_000,
    reconnectJitterRange: options.retryMs ?? 2_000,
  });
  const waiters: Array<{ event: string; match: (m: WsMessage) => boolean; resolve: (m: WsMessage) => void }> = [];
  const socket: OfficialSocket = {
    client,
    messages: [],
    missed: 0,
    reconnects: 0,
    next(event, match = () => true, timeoutMs = 5_000) {
      const seen = socket.messages.find((m) => m.event === event && match(m));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms; saw ${socket.messages.map((m) => m.event).join(',')}`)), timeoutMs);
        waiters.push({ event, match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => client.close(),
  };
  client.addMessageListener((raw) => {
    const msg = raw as unknown as WsMessage;
    socket.messages.push(msg);
    for (const w of [...waiters]) {
      if (w.event === msg.event && w.match(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  client.addMissedMessageListener(() => (socket.missed += 1));
  client.addReconnectListener(() => (socket.reconnects += 1));
  client.initialize(`${baseUrl.replace(/^http/, 'ws')}/api/v4/websocket`, token);
  return socket;
}
