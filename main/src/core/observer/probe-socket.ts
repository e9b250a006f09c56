import WebSocket from 'ws';

/** How long connecting and authenticating a probe socket may take, ms. @default 5000 */
export const PROBE_CONNECT_TIMEOUT_MS = 5_000;

/** Posts whose arrival a socket remembers, for a probe whose reply came after the event. @default 64 */
const REMEMBERED_POSTS = 64;

/**
 * A raw WebSocket client speaking the Mattermost protocol, as the probe's eyes on one node:
 * connects to `/api/v4/websocket`, authenticates with `authentication_challenge`, waits for
 * `hello`, then notes when each `posted` event arrives (by the post's message).
 * @example const socket = await ProbeSocket.connect('http://10.0.0.1:8065', token); await socket.arrivalOf(message, 5_000);
 */
export class ProbeSocket {
  private readonly arrivals = new Map<string, number>();
  private readonly waiters = new Map<string, Array<(at: number) => void>>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.onFrame(raw.toString()));
  }

  /** Opens and authenticates a socket to a node; rejects with a plain reason when it cannot. */
  static connect(baseUrl: string, token: string, timeoutMs = PROBE_CONNECT_TIMEOUT_MS): Promise<ProbeSocket> {
    const url = new URL('/api/v4/websocket', baseUrl.replace(/^http/, 'ws'));
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      const fail = (reason: string) => {
        clearTimeout(timer);
        socket.removeAllListeners('message');
        socket.terminate();
        reject(new Error(reason));
      };
      const timer = setTimeout(() => fail(`no hello within ${timeoutMs} ms`), timeoutMs);
      socket.once('error', (err) => fail(`websocket error: ${err.message}`));
      socket.once('unexpected-response', (_request, response) => fail(`upgrade refused: HTTP ${response.statusCode}`));
      socket.once('open', () => socket.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token } })));
      const onAuth = (raw: WebSocket.RawData) => {
        const frame = parseFrame(raw.toString());
        if (frame?.seq_reply === 1 && frame.status !== 'OK') fail(`authentication refused: ${JSON.stringify(frame.error ?? frame.status)}`);
        if (frame?.event !== 'hello') return;
        clearTimeout(timer);
        socket.off('message', onAuth);
        socket.removeAllListeners('error');
        socket.on('error', () => {});
        resolve(new ProbeSocket(socket));
      };
      socket.on('message', onAuth);
    });
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * When (performance.now()) a `posted` event with this message arrived: at once if it already
   * did, else when it does; rejects after `timeoutMs` or when the socket closes.
   */
  arrivalOf(message: string, timeoutMs: number): Promise<number> {
    const seen = this.arrivals.get(message);
    if (seen !== undefined) return Promise.resolve(seen);
    if (!this.open) return Promise.reject(new Error('socket closed'));
    return new Promise((resolve, reject) => {
      const onClose = () => settle(() => reject(new Error('socket closed before the post arrived')));
      const timer = setTimeout(() => settle(() => reject(new Error(`not seen within ${timeoutMs} ms`))), timeoutMs);
      const waiter = (at: number) => settle(() => resolve(at));
      const settle = (done: () => void) => {
        clearTimeout(timer);
        this.socket.off('close', onClose);
        const list = (this.waiters.get(message) ?? []).filter((w) => w !== waiter);
        if (list.length > 0) this.waiters.set(message, list);
        else this.waiters.delete(message);
        done();
      };
      this.socket.once('close', onClose);
      this.waiters.set(message, [...(this.waiters.get(message) ?? []), waiter]);
    });
  }

  /** Closes the socket (at once: the probe has nothing to say on the way out). */
  close(): void {
    this.socket.terminate();
  }

  private onFrame(text: string): void {
    const at = performance.now();
    const frame = parseFrame(text);
    if (frame?.event !== 'posted' || typeof frame.data?.post !== 'string') return;
    const message = postMessage(frame.data.post);
    if (message === undefined) return;
    this.arrivals.set(message, at);
    if (this.arrivals.size > REMEMBERED_POSTS) this.arrivals.delete(this.arrivals.keys().next().value!);
    for (const waiter of this.waiters.get(message) ?? []) waiter(at);
  }
}

interface Frame {
  event?: string;
  seq_reply?: number;
  status?: string;
  error?: unknown;
  data?: { post?: unknown };
}

function parseFrame(text: string): Frame | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Frame) : undefined;
  } catch {
    return undefined;
  }
}

/** Mattermost sends the post as a JSON string inside the event. */
function postMessage(post: string): string | undefined {
  try {
    const message = (JSON.parse(post) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}
