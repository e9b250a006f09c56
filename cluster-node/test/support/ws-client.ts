import WebSocket from 'ws';

/** Any frame the server sent: an event (with `seq`) or a reply (with `seq_reply`). */
export interface Frame {
  event?: string;
  data?: any;
  broadcast?: any;
  seq?: number;
  status?: string;
  seq_reply?: number;
  error?: { id: string };
}

/** Options for {@link connectWs}. */
export interface WsOptions {
  token?: string;
  origin?: string;
  connectionId?: string;
  sequence?: number;
}

/**
 * A raw WebSocket client for protocol tests: records every frame, sends actions with their own
 * sequence numbers, and waits for frames matching a predicate.
 */
export class WsClient {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  private nextSeq = 1;
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  private closeWaiters: Array<(code: number) => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const resolve of this.closeWaiters) resolve(code);
    });
  }

  /** Events received (frames with a seq), in order. */
  get events(): Frame[] {
    return this.frames.filter((f) => f.seq !== undefined);
  }

  /** Waits for the first frame (already received or future) matching `match`. */
  waitFor(match: (f: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const found = this.frames.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 2000)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** Waits for an event by name (optionally the n-th of them, counting from 1). */
  waitForEvent(event: string, nth = 1, timeoutMs = 5_000): Promise<Frame> {
    let seen = 0;
    return this.waitFor((f) => f.event === event && ++seen === nth, timeoutMs);
  }

  /** Sends an action and resolves with its reply. */
  action(action: string, data?: unknown): Promise<Frame> {
    const seq = this.nextSeq++;
    this.socket.send(JSON.stringify({ action, seq, data }));
    return this.waitFor((f) => f.seq_reply === seq);
  }

  /** Resolves with the close code once the server or client closed the socket. */
  closed(timeoutMs = 5_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push((code) => (clearTimeout(timer), resolve(code)));
    });
  }

  close(): Promise<number> {
    this.socket.close();
    return this.closed();
  }
}

/** Opens a socket to a node's /api/v4/websocket; rejects with the HTTP status if refused. */
export function connectWs(baseUrl: string, options: WsOptions = {}): Promise<WsClient> {
  const url = new URL('/api/v4/websocket', baseUrl.replace(/^http/, 'ws'));
  if (options.connectionId !== undefined) url.searchParams.set('connection_id', options.connectionId);
  if (options.sequence !== undefined) url.searchParams.set('sequence_number', String(options.sequence));
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const socket = new WebSocket(url, { headers, ...(options.origin ? { origin: options.origin } : {}) });
  const client = new WsClient(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    socket.once('error', reject);
  });
}

/** Connects and authenticates with authentication_challenge, resolving once hello arrived. */
export async function connectAuthenticated(baseUrl: string, token: string, options: Omit<WsOptions, 'token'> = {}): Promise<WsClient> {
  const client = await connectWs(baseUrl, options);
  const reply = await client.action('authentication_challenge', { token });
  if (reply.status !== 'OK') throw new Error(`authentication failed: ${JSON.stringify(reply)}`);
  return client;
}
