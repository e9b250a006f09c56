import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { isClientEvent, newId, webSocketAction, type ClientClusterEvent, type ClusterEvent } from '@switchboard/shared';
import type { EventMeta } from '../events/event-bus.js';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AuthContext } from '../app/context.js';
import { tokenFromAuthorization } from '../app/sessions.js';
import { SERVER_VERSION } from '../http/app.js';
import { runAction, type ActionDeps } from './actions.js';
import { Connection, RESUME_WINDOW_MS } from './connection.js';
import { LocalPresence, type Presence } from './presence.js';
import { Checkpointer } from './checkpointer.js';
import { CHECKPOINT_MS, rebuildConnection, STREAM_START, type RedisCheckpoints, type StreamSource } from './remote-resume.js';
import { receives, Recipients } from './recipients.js';
import { fail, ok } from './replies.js';
import { checkUpgrade, refuseUpgrade, resumeParams } from './upgrade.js';

/**
 * A socket whose outgoing buffer grows past this is closed (the client resumes on reconnect).
 * @default 8 MiB
 */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;
/**
 * How often the server pings sockets at the protocol level to find dead peers.
 * @default 30000
 */
export const HEARTBEAT_MS = 30_000;

/** Close codes the hub uses. 1008 is policy violation (auth), 1012 service restart (drain). */
export const CLOSE = { normal: 1000, goingAway: 1001, policy: 1008, restart: 1012, tryAgainLater: 1013 } as const;

interface SocketState {
  /** Rate-limit key of this socket. */
  key: string;
  auth?: AuthContext;
  connection?: Connection;
  resume: { connectionId: string; sequence: number };
  alive: boolean;
  authTimer?: NodeJS.Timeout;
  /** Frames are handled one after another, as Mattermost does: a ping right after
   * authentication_challenge must see the socket authenticated. */
  chain: Promise<void>;
}

/** Cross-node resume: where checkpoints go and where the stream is read (clustered mode only). */
export interface RemoteResume {
  checkpoints: Pick<RedisCheckpoints, 'read' | 'write' | 'remove'>;
  source: StreamSource;
}

/** What the hub needs besides the action dependencies. */
export interface HubOptions {
  /** Presence tracker; the local one by default, the cluster one when clustered. */
  presence?: Presence;
  remote?: RemoteResume;
}

/**
 * The node's WebSocket endpoint: Mattermost's handshake (token header or
 * authentication_challenge, then hello), actions with seq_reply, and every cluster event delivered
 * in bus order with per-connection sequence numbers and in-node resume.
 */
export class WebSocketHub {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<WebSocket, SocketState>();
  private readonly connections = new Map<string, Connection>();
  private readonly recipients: Recipients;
  private readonly presence: Presence;
  private readonly remote: RemoteResume | undefined;
  private readonly checkpointer: Checkpointer | undefined;
  /** Stream position of the last event this hub delivered. */
  private position = STREAM_START;
  private readonly limiter: RateLimiterMemory;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: () => void = () => {};
  private queue: Promise<void> = Promise.resolve();
  private draining = false;

  constructor(
    private readonly deps: ActionDeps,
    options: HubOptions = {},
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.wsMaxFrameBytes });
    this.recipients = new Recipients(deps.db);
    this.presence = options.presence ?? new LocalPresence(deps.services.statuses, deps.log);
    this.remote = options.remote;
    this.checkpointer = options.remote ? new Checkpointer({ store: options.remote.checkpoints, nodeId: deps.nodeId, log: deps.log }, this.connections) : undefined;
    this.limiter = new RateLimiterMemory({ points: deps.config.wsActionsPerSecond, duration: 1 });
  }

  /** Starts serving upgrades on the HTTP server and receiving bus events. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.unsubscribe = this.deps.bus.subscribe((event, meta) => this.enqueue(() => this.deliver(event, meta), event.kind));
    this.timers.push(
      setInterval(() => void this.recheckSessions(), this.deps.config.wsSessionCheckMs),
      setInterval(() => this.sweep(), Math.min(RESUME_WINDOW_MS, 10_000)),
      setInterval(() => this.heartbeat(), HEARTBEAT_MS),
    );
    if (this.checkpointer) this.timers.push(setInterval(() => void this.checkpointer?.tick(), CHECKPOINT_MS));
    for (const timer of this.timers) timer.unref();
  }

  /** Open sockets and users online on this node. */
  stats(): { connections: number; usersOnline: number } {
    return { connections: this.sockets.size, usersOnline: this.presence.usersOnline };
  }

  /** Refuses new upgrades from now on (drain). */
  refuseUpgrades(): void {
    this.draining = true;
  }

  /** Closes every socket with `code`, in batches spread over `windowMs`. */
  async closeAll(code: number, reason: string, windowMs = 0): Promise<void> {
    const sockets = [...this.sockets.keys()];
    const batches = Math.max(1, Math.min(sockets.length, Math.ceil(windowMs / 100)));
    const size = Math.ceil(sockets.length / batches);
    for (let i = 0; i < sockets.length; i += size) {
      for (const ws of sockets.slice(i, i + size)) ws.close(code, reason);
      if (windowMs > 0 && i + size < sockets.length) await new Promise((resolve) => setTimeout(resolve, windowMs / batches));
    }
  }

  /**
   * Events reached this node's clients with a hole no stream can fill (a gap the bus could not
   * repair, e.g. a Redis failover that lost entries whose origin died too): every connection is
   * forgotten here and its checkpoint deleted, then its socket closed with 1012. The client
   * reconnects, gets a new connection id in hello and backfills with `since`, the Mattermost
   * way, instead of silently missing a post. Runs in the delivery queue, after what came before.
   */
  resyncAll(reason: string): void {
    this.enqueue(async () => {
      const ids = [...this.connections.keys()];
      const sockets = [...this.connections.values()].flatMap((c) => (c.socket ? [c.socket] : []));
      this.connections.clear();
      if (ids.length === 0) return;
      const forget = () => this.remote?.checkpoints.remove(ids).catch((err: unknown) => this.deps.log.warn({ err }, 'checkpoint delete failed'));
      await forget();
      // A checkpoint tick already under way may write one of them again: delete once more after it.
      setTimeout(() => void forget(), CHECKPOINT_MS * 2).unref();
      for (const ws of sockets) this.drop(ws, CLOSE.restart, 'events missed: reconnect and backfill', 'resync');
      this.deps.log.warn({ reason, connections: ids.length }, 'connections reset so their clients backfill');
    }, 'resync');
  }

  /** Stops timers and the bus subscription and closes every socket (going away). */
  async close(): Promise<void> {
    this.draining = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    await this.closeAll(CLOSE.goingAway, 'server stopping');
    for (const ws of this.sockets.keys()) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.queue;
    await this.presence.settled();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refusal = checkUpgrade(request, this.deps.config, this.draining);
    if (refusal) {
      this.deps.metrics.wsClosed.inc({ reason: `refused_${refusal.status}` });
      refuseUpgrade(socket, refusal);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.open(ws, request));
  }

  private open(ws: WebSocket, request: IncomingMessage): void {
    const state: SocketState = { key: newId(), resume: resumeParams(request), alive: true, chain: Promise.resolve() };
    this.sockets.set(ws, state);
    this.deps.metrics.wsConnections.set(this.sockets.size);
    ws.on('pong', () => (state.alive = true));
    ws.on('close', () => this.closed(ws, state));
    ws.on('error', (err) => this.deps.log.debug({ err }, 'socket error'));
    const inOrder = (step: () => Promise<void>) => {
      state.chain = state.chain.then(step).catch((err: unknown) => this.deps.log.error({ err }, 'websocket frame failed'));
    };
    ws.on('message', (raw, isBinary) => inOrder(() => this.message(ws, state, raw, isBinary)));
    state.authTimer = setTimeout(() => {
      if (!state.auth) this.drop(ws, CLOSE.policy, 'authentication timeout', 'auth_timeout');
    }, this.deps.config.wsAuthTimeoutMs);
    const token = tokenFromAuthorization(request.headers.authorization);
    if (token) {
      inOrder(async () => {
        const auth = await this.deps.services.sessions.resolve(token).catch(() => undefined);
        if (auth && ws.readyState === ws.OPEN && !state.auth) this.authenticated(ws, state, auth);
      });
    }
  }

  private authenticated(ws: WebSocket, state: SocketState, auth: AuthContext): void {
    clearTimeout(state.authTimer);
    state.auth = auth;
    this.presence.opened(auth.userId);
    const { connectionId, sequence } = state.resume;
    const previous = connectionId ? this.connections.get(connectionId) : undefined;
    if (previous && previous.userId === auth.userId && !previous.attached && previous.canResumeFrom(sequence)) {
      previous.sessionId = auth.sessionId;
      state.connection = previous;
      const replayed = previous.resume(ws, sequence);
      this.deps.log.debug({ connId: previous.id, userId: auth.userId, replayed }, 'websocket resumed');
    } else if (connectionId && !previous && this.remote) {
      // Rebuilt inside the delivery queue, so no live event interleaves with the replay.
      this.enqueue(() => this.resumeRemote(ws, state, auth, connectionId, sequence), 'resume');
    } else {
      this.fresh(ws, state, auth);
    }
  }

  /** A new connection: new connection_id, hello with seq 0. */
  private fresh(ws: WebSocket, state: SocketState, auth: AuthContext): void {
    const connection = new Connection(newId(), auth.userId, auth.sessionId, { nextSeq: 0, streamId: this.position });
    this.connections.set(connection.id, connection);
    state.connection = connection;
    connection.attach(ws);
    connection.sendEvent(helloPrefix(connection.id, auth.userId, this.deps.nodeId));
  }

  private async resumeRemote(ws: WebSocket, state: SocketState, auth: AuthContext, connectionId: string, sequence: number): Promise<void> {
    if (ws.readyState !== ws.OPEN || !this.remote) return;
    const rebuilt = await rebuildConnection({
      checkpoint: await this.remote.checkpoints.read(connectionId),
      userId: auth.userId,
      sessionId: auth.sessionId,
      sequence,
      upTo: this.position,
      source: this.remote.source,
      recipients: new Recipients(this.deps.db),
      eventPrefix,
    }).catch((err: unknown) => {
      this.deps.log.warn({ err, connId: connectionId }, 'remote resume failed');
      return 'error' as const;
    });
    if (ws.readyState !== ws.OPEN) return;
    if (typeof rebuilt === 'string') {
      this.deps.metrics.wsResumes.inc({ result: rebuilt });
      this.deps.log.info({ connId: connectionId, userId: auth.userId, reason: rebuilt }, 'remote resume refused, new connection');
      this.fresh(ws, state, auth);
      return;
    }
    this.connections.set(rebuilt.id, rebuilt);
    state.connection = rebuilt;
    const replayed = rebuilt.resume(ws, sequence);
    this.deps.metrics.wsResumes.inc({ result: 'remote' });
    this.deps.log.info({ connId: rebuilt.id, userId: auth.userId, replayed }, 'websocket resumed from another node');
  }

  private async message(ws: WebSocket, state: SocketState, raw: RawData, isBinary: boolean): Promise<void> {
    let frame: { action: string; seq: number; data?: unknown };
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      frame = webSocketAction.parse(JSON.parse(raw.toString()));
    } catch (err) {
      this.deps.metrics.wsActions.inc({ action: 'malformed', result: 'fail' });
      this.reply(ws, fail(0, 'websocket.bad_action', `expected {action, seq, data}: ${(err as Error).message.slice(0, 200)}`));
      return;
    }
    const limited = await this.limiter.consume(state.key).then(() => false, () => true);
    if (limited) {
      this.deps.metrics.wsActions.inc({ action: frame.action.slice(0, 32), result: 'rate_limited' });
      this.reply(ws, fail(frame.seq, 'websocket.rate_limited'));
      return;
    }
    if (frame.action === 'authentication_challenge') return this.challenge(ws, state, frame.seq, frame.data);
    if (!state.auth) {
      this.reply(ws, fail(frame.seq, 'websocket.not_authenticated', 'send authentication_challenge first'));
      return;
    }
    const reply = await runAction(this.deps, state.auth, frame.action, frame.seq, frame.data).catch((err: unknown) => {
      this.deps.log.error({ err, action: frame.action }, 'websocket action failed');
      return fail(frame.seq, 'internal.error');
    });
    this.deps.metrics.wsActions.inc({ action: reply.status === 'FAIL' && reply.error?.id === 'websocket.bad_action' ? 'unknown' : frame.action, result: reply.status.toLowerCase() });
    this.reply(ws, reply);
  }

  private async challenge(ws: WebSocket, state: SocketState, seq: number, data: unknown): Promise<void> {
    // Mattermost ignores a challenge on an already authenticated socket.
    if (state.auth) return;
    const token = (data as { token?: unknown } | undefined)?.token;
    const auth = typeof token === 'string' ? await this.deps.services.sessions.resolve(token) : undefined;
    if (!auth) {
      this.reply(ws, fail(seq, 'websocket.not_authenticated', 'invalid or expired token'));
      this.drop(ws, CLOSE.policy, 'authentication failed', 'auth_failed');
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    this.reply(ws, ok(seq));
    this.authenticated(ws, state, auth);
  }

  private enqueue(step: () => Promise<void>, what: string): void {
    this.queue = this.queue.then(step).catch((err: unknown) => this.deps.log.error({ err, what }, 'hub step failed'));
  }

  private async deliver(event: ClusterEvent, meta: EventMeta): Promise<void> {
    if (meta.streamId) this.position = meta.streamId;
    if (!isClientEvent(event)) {
      if (event.kind === 'session_revoked') this.revoke(new Set(event.data.session_ids));
      return;
    }
    const recipients = await this.recipients.resolve(event);
    const prefix = eventPrefix(event);
    let sent = 0;
    for (const connection of this.connections.values()) {
      if (!receives(recipients, connection.userId, event.broadcast.omit_users)) continue;
      connection.sendEvent(prefix, meta.streamId);
      sent += 1;
      const socket = connection.socket;
      if (socket && socket.bufferedAmount > SLOW_CONSUMER_BYTES) this.drop(socket, CLOSE.tryAgainLater, 'slow consumer', 'slow_consumer');
    }
    if (sent > 0) this.deps.metrics.wsEventsSent.inc({ event: event.kind }, sent);
  }

  private revoke(sessionIds: Set<string>): void {
    for (const [id, connection] of this.connections) {
      if (!sessionIds.has(connection.sessionId)) continue;
      this.connections.delete(id);
      if (connection.socket) this.drop(connection.socket, CLOSE.policy, 'session revoked', 'session_revoked');
    }
  }

  /** After a drain closed the sockets gracefully: writes every connection's exact position. */
  async flushCheckpoints(): Promise<void> {
    await this.checkpointer?.flushFrozen();
  }

  private async recheckSessions(): Promise<void> {
    const ids = [...new Set([...this.connections.values()].map((c) => c.sessionId))];
    if (ids.length === 0) return;
    try {
      const live = await this.deps.services.sessions.live(ids);
      this.revoke(new Set(ids.filter((id) => !live.has(id))));
    } catch (err) {
      this.deps.log.warn({ err }, 'session re-check failed');
    }
  }

  private sweep(): void {
    const cutoff = this.deps.now() - RESUME_WINDOW_MS;
    for (const [id, connection] of this.connections) {
      if (!connection.attached && connection.detachedAt < cutoff) this.connections.delete(id);
    }
  }

  private heartbeat(): void {
    for (const [ws, state] of this.sockets) {
      if (!state.alive) {
        this.deps.metrics.wsClosed.inc({ reason: 'heartbeat' });
        ws.terminate();
        continue;
      }
      state.alive = false;
      ws.ping();
    }
  }

  private closed(ws: WebSocket, state: SocketState): void {
    clearTimeout(state.authTimer);
    this.sockets.delete(ws);
    this.deps.metrics.wsConnections.set(this.sockets.size);
    if (state.connection?.socket === ws) state.connection.detach(this.deps.now());
    if (state.auth) this.presence.closed(state.auth.userId);
  }

  private drop(ws: WebSocket, code: number, reason: string, metric: string): void {
    this.deps.metrics.wsClosed.inc({ reason: metric });
    ws.close(code, reason);
  }

  private reply(ws: WebSocket, reply: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }
}

/** The event's JSON up to `"seq":`, serialised once for all recipients. */
export function eventPrefix(event: Pick<ClientClusterEvent, 'kind' | 'data' | 'broadcast'>): string {
  return `{"event":${JSON.stringify(event.kind)},"data":${JSON.stringify(event.data)},"broadcast":${JSON.stringify(event.broadcast)},"seq":`;
}

function helloPrefix(connectionId: string, userId: string, nodeId: string): string {
  const data = { connection_id: connectionId, server_version: SERVER_VERSION, server_hostname: nodeId };
  return `{"event":"hello","data":${JSON.stringify(data)},"broadcast":${JSON.stringify({ omit_users: null, user_id: userId, channel_id: '', team_id: '' })},"seq":`;
}
