import { WebSocketClient } from '@mattermost/client';
import type { ConnectionEvent } from '../state/connection.js';
import { eventFrameSchema, helloSchema, pongSchema, type EventFrame } from './schemas.js';

/** What the socket reports to the app. */
export interface SocketListener {
  /** A checked event frame, in sequence order, each once (the library drops and resumes on a gap). */
  onEvent(frame: EventFrame): void;
  /** Opens, hellos, frames, node changes and closes, for the connection reducer. */
  onConnection(event: ConnectionEvent): void;
}

/**
 * Reconnect timing: quick first retries (a killed node's clients find a survivor through the
 * balancer within a second or two), backing off after 20 failures to at most 10 s; a ping every
 * 15 s closes a socket whose node stopped answering. The library adds up to `jitter` at random.
 */
export const SOCKET_TIMING = { minRetryMs: 500, jitterMs: 500, failsBeforeBackoff: 20, maxRetryMs: 10_000, pingMs: 15_000 } as const;

/**
 * The chat socket: the official Mattermost `WebSocketClient`, which authenticates with
 * `authentication_challenge`, checks every event's `seq`, reconnects, and resumes with
 * `connection_id` and `sequence_number`. This wrapper checks frames, asks the node for its id
 * after every open (`ping` answers with `node_id`; a resumed connection gets no hello), and
 * reports everything to one listener.
 */
export class ChatSocket {
  private readonly ws = new WebSocketClient({
    minWebSocketRetryTime: SOCKET_TIMING.minRetryMs,
    reconnectJitterRange: SOCKET_TIMING.jitterMs,
    maxWebSocketFails: SOCKET_TIMING.failsBeforeBackoff,
    maxWebSocketRetryTime: SOCKET_TIMING.maxRetryMs,
    clientPingInterval: SOCKET_TIMING.pingMs,
  });

  constructor(private readonly listener: SocketListener) {
    this.ws.addFirstConnectListener(() => this.opened(false));
    this.ws.addReconnectListener(() => this.opened(true));
    // The library keeps the connection_id (and so resumes) only while a missed-message listener is
    // registered; the backfill itself is decided by the connection reducer from the hello.
    this.ws.addMissedMessageListener(() => undefined);
    this.ws.addCloseListener(() => this.listener.onConnection({ type: 'closed', at: Date.now() }));
    this.ws.addMessageListener((raw: unknown) => this.message(raw));
  }

  /** Connects (and keeps reconnecting) with a session token. */
  start(url: string, token: string): void {
    this.ws.initialize(url, token);
  }

  /** Closes for good (logout). */
  stop(): void {
    this.ws.close();
  }

  /** Tells the channel's members this user is typing. */
  typing(channelId: string): void {
    this.ws.userTyping(channelId, '');
  }

  private opened(reconnect: boolean): void {
    this.listener.onConnection({ type: 'opened', at: Date.now(), reconnect });
    this.ws.ping((reply: unknown) => {
      const nodeId = pongSchema.safeParse(reply).data?.data?.node_id;
      if (nodeId) this.listener.onConnection({ type: 'node', nodeId });
    });
  }

  private message(raw: unknown): void {
    const parsed = eventFrameSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('chat socket: dropped a malformed frame', parsed.error.issues[0]);
      return;
    }
    const frame = parsed.data;
    if (frame.event === 'hello') {
      const hello = helloSchema.safeParse(frame.data);
      if (hello.success) this.listener.onConnection({ type: 'hello', at: Date.now(), connectionId: hello.data.connection_id, nodeId: hello.data.server_hostname });
    }
    this.listener.onConnection({ type: 'frame', at: Date.now() });
    this.listener.onEvent(frame);
  }
}
