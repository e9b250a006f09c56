import WebSocket from 'ws';
import { z } from 'zod';
import { apiRequest } from '../observer/probe-fixtures.js';
import type { ProbeClientLog, ProbeReceipt, ProbeReconnect, ProbeSend } from './checker.js';

/** How long connecting and authenticating may take before the attempt is retried, ms. @default 5000 */
export const PROBE_CLIENT_CONNECT_TIMEOUT_MS = 5_000;
/** First wait before reconnecting after a socket closes, ms; doubles up to the max. @default 250 */
export const PROBE_CLIENT_RECONNECT_MS = 250;
/** Longest wait between reconnection attempts, ms. @default 2000 */
export const PROBE_CLIENT_MAX_RECONNECT_MS = 2_000;
/** Attempts per post (the same pending_post_id each time, so a retry never duplicates). @default 4 */
export const PROBE_POST_ATTEMPTS = 4;
/** Wait before the second attempt, ms; doubles for each further one, as clients back off. @default 250 */
export const PROBE_POST_RETRY_MS = 250;

/** Where and as whom a probe client works. */
export interface ProbeClientOptions {
  /** The client's name in the report (`p1`). */
  name: string;
  /** The node it starts on. */
  node: string;
  /** That node's API address. */
  nodeUrl: string;
  /** The balancer (the profile's apiUrl): where it goes when its node is gone. */
  apiUrl: string;
  token: string;
  channelId: string;
  /** The run id: every message carries it, so posts of other runs are ignored. */
  runId: string;
  ratePerSecond: number;
  resume: boolean;
  backfill: boolean;
  /** Called on every reconnection milestone (for the live timeline). */
  onMilestone?: (kind: 'client-disconnected' | 'client-resumed' | 'client-new-connection' | 'client-backfilled', detail: string, durationMs?: number) => void;
  now?: () => number;
}

const frameSchema = z.object({
  event: z.string().optional(),
  seq: z.number().int().optional(),
  seq_reply: z.number().int().optional(),
  status: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
const postSchema = z.object({ id: z.string(), channel_id: z.string(), message: z.string(), create_at: z.number() });
const postListSchema = z.object({ order: z.array(z.string()), posts: z.record(z.string(), postSchema) });

/** The message of post `n` of client `name` in run `runId`. */
export function probeMessage(runId: string, name: string, n: number): string {
  return `drill ${runId} ${name} ${n}`;
}

/** Reads a probe message back: its sender and number, if it is one of run `runId`. */
export function parseProbeMessage(runId: string, message: string): { sender: string; n: number } | undefined {
  const match = /^drill (\S+) (p\d+) (\d+)$/.exec(message);
  if (!match || match[1] !== runId) return undefined;
  return { sender: match[2]!, n: Number(match[3]) };
}

/**
 * One probe client, as an end user's client would be: a Mattermost v4 WebSocket to its node
 * (authentication_challenge, hello, `posted` events with sequence numbers) and REST posts at a
 * set rate. When the socket closes it reconnects through the balancer, resuming with
 * `connection_id` and `sequence_number`; when the server answers with a new connection (a new
 * `hello`), it backfills the channel with `since`. It records every post, every delivery and
 * every reconnection for the checker, and never throws.
 */
export class ProbeClient {
  readonly sends: ProbeSend[] = [];
  readonly receipts: ProbeReceipt[] = [];
  readonly log: ProbeClientLog;
  #socket: WebSocket | undefined;
  #connectionId: string | undefined;
  #lastSeq = -1;
  #connected = false;
  #stopped = false;
  #posting = false;
  #postTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #postUrl: string;
  #latestCreateAt = 0;
  #pendingReconnect: ProbeReconnect | undefined;
  #n = 0;
  #attempt = 0;
  readonly #now: () => number;

  constructor(readonly options: ProbeClientOptions) {
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.#postUrl = options.nodeUrl;
    this.log = { client: options.name, node: options.node, startedAt: this.#now(), reconnects: [], sequenceGaps: 0, socketErrors: 0 };
  }

  /** Whether the socket is authenticated now. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Connects to its node; resolves once authenticated (rejects when it cannot, the first time). */
  async connect(): Promise<void> {
    await this.#open(this.options.nodeUrl, false);
  }

  /** Starts posting at the set rate. */
  startPosting(): void {
    if (this.#posting || this.#stopped) return;
    this.#posting = true;
    const interval = 1000 / this.options.ratePerSecond;
    let next = this.#now();
    const tick = async () => {
      if (!this.#posting) return;
      await this.#post();
      next += interval;
      if (this.#posting) this.#postTimer = setTimeout(() => void tick(), Math.max(0, next - this.#now()));
    };
    // Spread the clients' first posts over one interval.
    this.#postTimer = setTimeout(() => void tick(), Math.random() * interval);
  }

  /** Stops posting (the socket stays open to receive what is in flight). */
  stopPosting(): void {
    this.#posting = false;
    clearTimeout(this.#postTimer);
  }

  /** Closes everything; nothing reconnects afterwards. */
  close(): void {
    this.#stopped = true;
    this.stopPosting();
    clearTimeout(this.#reconnectTimer);
    this.#socket?.terminate();
    this.#socket = undefined;
    this.#connected = false;
  }

  async #post(): Promise<void> {
    this.#n += 1;
    const n = this.#n;
    const send: ProbeSend = { client: this.options.name, n, sentAt: this.#now(), ackAt: null, error: null };
    this.sends.push(send);
    const body = { channel_id: this.options.channelId, message: probeMessage(this.options.runId, this.options.name, n), pending_post_id: `${this.options.name}-${this.options.runId}-${n}` };
    for (let attempt = 1; attempt <= PROBE_POST_ATTEMPTS && !this.#stopped; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, PROBE_POST_RETRY_MS * 2 ** (attempt - 2)));
      try {
        const reply = await apiRequest(this.#postUrl, 'POST', '/posts', this.options.token, body);
        if (reply.status === 201) {
          send.ackAt = this.#now();
          send.error = null;
          return;
        }
        send.error = `HTTP ${reply.status} ${String(reply.body.id ?? '')}`.trim();
        // A draining node refuses with 503: go through the balancer from now on.
        if (reply.status === 503) this.#postUrl = this.options.apiUrl;
      } catch (err) {
        send.error = (err as Error).message;
        this.#postUrl = this.options.apiUrl;
      }
    }
  }

  /** Opens a socket to `baseUrl` (resuming when asked) and authenticates. */
  #open(baseUrl: string, resume: boolean): Promise<void> {
    const url = new URL('/api/v4/websocket', baseUrl.replace(/^http/, 'ws'));
    if (resume && this.#connectionId !== undefined) {
      url.searchParams.set('connection_id', this.#connectionId);
      url.searchParams.set('sequence_number', String(this.#lastSeq + 1));
    }
    const socket = new WebSocket(url, { handshakeTimeout: PROBE_CLIENT_CONNECT_TIMEOUT_MS });
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`not authenticated within ${PROBE_CLIENT_CONNECT_TIMEOUT_MS} ms`)), PROBE_CLIENT_CONNECT_TIMEOUT_MS);
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.terminate();
        reject(err);
      };
      socket.on('error', (err) => {
        if (settled) this.log.socketErrors += 1;
        fail(err);
      });
      socket.once('unexpected-response', (_request, response) => fail(new Error(`upgrade refused: HTTP ${response.statusCode}`)));
      socket.once('open', () => socket.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: this.options.token } })));
      socket.on('message', (raw) => {
        const frame = parseFrame(raw.toString());
        if (!frame) return;
        if (frame.seq_reply === 1 && !settled) {
          if (frame.status !== 'OK') return fail(new Error(`authentication refused: ${frame.status ?? '?'}`));
          settled = true;
          clearTimeout(timer);
          this.#connected = true;
          this.#attempt = 0;
          if (this.#pendingReconnect) this.#pendingReconnect.reconnectMs = this.#now() - this.#pendingReconnect.at;
          resolve();
          return;
        }
        this.#onFrame(frame);
      });
      socket.once('close', () => {
        if (this.#socket !== socket) return;
        const wasConnected = this.#connected;
        this.#connected = false;
        if (!settled) fail(new Error('socket closed before authentication'));
        if (wasConnected) this.#disconnected();
      });
    });
  }

  #onFrame(frame: z.infer<typeof frameSchema>): void {
    const at = this.#now();
    if (frame.event === 'hello') {
      const id = typeof frame.data?.connection_id === 'string' ? frame.data.connection_id : undefined;
      const fresh = this.#connectionId !== undefined && id !== this.#connectionId;
      this.#connectionId = id;
      this.#lastSeq = frame.seq ?? 0;
      if (fresh) this.#newConnection(at);
      return;
    }
    if (frame.seq !== undefined) {
      if (this.#lastSeq >= 0 && frame.seq > this.#lastSeq + 1) this.log.sequenceGaps += 1;
      if (frame.seq > this.#lastSeq) this.#lastSeq = frame.seq;
      const pending = this.#pendingReconnect;
      if (pending && pending.resumed === null) {
        pending.resumed = true;
        pending.resumeMs = at - pending.at;
        this.#pendingReconnect = undefined;
        this.options.onMilestone?.('client-resumed', `${this.options.name} resumed its connection`, pending.resumeMs);
      }
    }
    if (frame.event !== 'posted' || typeof frame.data?.post !== 'string') return;
    this.#record(frame.data.post, at, 'ws');
  }

  /** Records a probe post of this run arriving (live or by backfill). */
  #record(postJson: string | z.infer<typeof postSchema>, at: number, via: 'ws' | 'backfill'): void {
    let post: z.infer<typeof postSchema>;
    try {
      const parsed = postSchema.safeParse(typeof postJson === 'string' ? JSON.parse(postJson) : postJson);
      if (!parsed.success) return;
      post = parsed.data;
    } catch {
      return;
    }
    if (post.channel_id !== this.options.channelId) return;
    const probe = parseProbeMessage(this.options.runId, post.message);
    if (!probe) return;
    if (via === 'ws') this.#latestCreateAt = Math.max(this.#latestCreateAt, post.create_at);
    this.receipts.push({ receiver: this.options.name, sender: probe.sender, n: probe.n, at, via });
  }

  #disconnected(): void {
    if (this.#stopped) return;
    // Lost again before it resumed: still the same absence, measured from its first close.
    if (!this.#pendingReconnect) {
      const reconnect: ProbeReconnect = { at: this.#now(), reconnectMs: null, resumeMs: null, resumed: null };
      this.log.reconnects.push(reconnect);
      this.#pendingReconnect = reconnect;
      this.options.onMilestone?.('client-disconnected', `${this.options.name} lost its socket`);
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const delay = Math.min(PROBE_CLIENT_RECONNECT_MS * 2 ** this.#attempt, PROBE_CLIENT_MAX_RECONNECT_MS);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      // Its node may be gone: reconnect through the balancer, as a real client behind one does.
      this.#open(this.options.apiUrl, this.options.resume).catch(() => this.#scheduleReconnect());
    }, delay);
  }

  /** The server gave a new connection (resume impossible or off): backfill with `since`. */
  #newConnection(at: number): void {
    const pending = this.#pendingReconnect;
    if (pending) {
      pending.resumed = false;
      this.#pendingReconnect = undefined;
    }
    this.options.onMilestone?.('client-new-connection', `${this.options.name} got a new connection`);
    if (!this.options.backfill) {
      if (pending) pending.resumeMs = at - pending.at;
      return;
    }
    void this.#backfill().then((count) => {
      if (pending) pending.resumeMs = this.#now() - pending.at;
      this.options.onMilestone?.('client-backfilled', `${this.options.name} backfilled ${count} posts`, pending?.resumeMs ?? undefined);
    });
  }

  /** Fetches the channel's posts since the latest one seen live (less a margin) and records the new ones. */
  async #backfill(): Promise<number> {
    const since = Math.max(0, this.#latestCreateAt - 5_000);
    for (let attempt = 0; attempt < 5 && !this.#stopped; attempt += 1) {
      try {
        const reply = await apiRequest(this.options.apiUrl, 'GET', `/channels/${this.options.channelId}/posts?since=${since}`, this.options.token);
        const list = postListSchema.safeParse(reply.body);
        if (reply.status === 200 && list.success) {
          const at = this.#now();
          const have = new Set(this.receipts.map((receipt) => `${receipt.sender}#${receipt.n}`));
          let count = 0;
          for (const post of Object.values(list.data.posts).sort((a, b) => a.create_at - b.create_at)) {
            const probe = parseProbeMessage(this.options.runId, post.message);
            if (!probe || have.has(`${probe.sender}#${probe.n}`)) continue;
            this.#record(post, at, 'backfill');
            count += 1;
          }
          return count;
        }
      } catch {
        // the balancer may still route to a dead node: try again shortly
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return 0;
  }
}

function parseFrame(text: string): z.infer<typeof frameSchema> | undefined {
  try {
    const parsed = frameSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
