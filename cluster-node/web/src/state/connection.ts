/**
 * The life of the chat socket as the UI sees it, as a pure reducer: what to show (the calm
 * reconnecting banner) and what to do (backfill with `since`) after each socket happening. The
 * official WebSocketClient under it does the resume itself: on reconnect it sends its
 * `connection_id` and `sequence_number`; a server that can resume continues the same sequence
 * and sends no hello; one that cannot sends a hello with a new connection_id, and then (only
 * then) the client must fetch what it missed. A sequence gap inside a connection makes the
 * library reconnect and resume, which reaches this reducer as a close and an open.
 */
export type SocketPhase = 'connecting' | 'online' | 'reconnecting';

export interface ConnectionState {
  phase: SocketPhase;
  /** connection_id of the current server-side connection ('' before the first hello). */
  connectionId: string;
  /** The node holding the socket, as it said (hello's server_hostname, ping's node_id). */
  nodeId: string;
  /** Local time of the last frame received while online: the lower bound for a backfill. */
  lastAliveAt: number;
  /** Local time the socket was lost (0 while online). */
  lostAt: number;
  /** Reconnections that resumed the stream, and those that needed a backfill. */
  resumed: number;
  backfills: number;
}

export type ConnectionEvent =
  | { type: 'opened'; at: number; reconnect: boolean }
  | { type: 'hello'; at: number; connectionId: string; nodeId: string }
  | { type: 'frame'; at: number }
  | { type: 'node'; nodeId: string }
  | { type: 'closed'; at: number };

/** What the app must do after an event: fetch changes since a time, or nothing. */
export type ConnectionEffect = { type: 'backfill'; since: number } | { type: 'none' };

/**
 * How far back a backfill reaches before the last frame received: covers clock differences between
 * this browser and the nodes (post times are node times) and events in flight when the socket
 * died. Merging is idempotent, so a wide margin only costs a few repeated posts. @default 60000
 */
export const BACKFILL_MARGIN_MS = 60_000;

/** The state before the first connection. */
export function initialConnection(): ConnectionState {
  return { phase: 'connecting', connectionId: '', nodeId: '', lastAliveAt: 0, lostAt: 0, resumed: 0, backfills: 0 };
}

/** Applies one socket event; returns the next state and what the app must do. */
export function reduceConnection(state: ConnectionState, event: ConnectionEvent): { state: ConnectionState; effect: ConnectionEffect } {
  const none: ConnectionEffect = { type: 'none' };
  switch (event.type) {
    case 'opened':
      // No hello yet: a resumed connection never gets one, so an open after a loss counts as
      // resumed until a hello with a new connection_id says otherwise. lastAliveAt stays at the
      // last frame before the loss: that is where a backfill must start.
      return {
        state: { ...state, phase: 'online', lastAliveAt: state.lastAliveAt || event.at, lostAt: 0, resumed: event.reconnect && state.connectionId ? state.resumed + 1 : state.resumed },
        effect: none,
      };
    case 'hello': {
      const lost = state.connectionId !== '' && state.connectionId !== event.connectionId;
      const next: ConnectionState = {
        ...state,
        phase: 'online',
        connectionId: event.connectionId,
        nodeId: event.nodeId || state.nodeId,
        lastAliveAt: event.at,
        resumed: lost && state.resumed > 0 ? state.resumed - 1 : state.resumed,
        backfills: lost ? state.backfills + 1 : state.backfills,
      };
      return { state: next, effect: lost ? { type: 'backfill', since: Math.max(0, state.lastAliveAt - BACKFILL_MARGIN_MS) } : none };
    }
    case 'frame':
      return { state: state.phase === 'online' ? { ...state, lastAliveAt: event.at } : state, effect: none };
    case 'node':
      return { state: event.nodeId === state.nodeId ? state : { ...state, nodeId: event.nodeId }, effect: none };
    case 'closed':
      if (state.phase === 'reconnecting') return { state, effect: none };
      return { state: { ...state, phase: state.connectionId ? 'reconnecting' : 'connecting', lostAt: event.at }, effect: none };
  }
}
