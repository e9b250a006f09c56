import type { Channel, Post, Team, User } from '@switchboard/shared';
import { create } from 'zustand';
import { initialConnection, type ConnectionState } from './connection.js';
import { emptyWindow, type MessageWindow } from './posts.js';
import { emptyUnreads, type UnreadState } from './unreads.js';

/** A message being sent: shown greyed until the server has it, with a retry when it failed. */
export interface PendingPost {
  pendingId: string;
  channelId: string;
  message: string;
  createAt: number;
  state: 'sending' | 'failed';
}

/** Everything the chat view shows; the controller (chat-controller.ts) is the only writer. */
export interface ChatState {
  me: User | undefined;
  teams: Team[];
  teamId: string | undefined;
  /** The user's channels in the current team, direct ones included, by id. */
  channels: Record<string, Channel>;
  channelId: string | undefined;
  windows: Record<string, MessageWindow>;
  /** channel id -> messages not yet confirmed by the server. */
  pending: Record<string, PendingPost[]>;
  unreads: UnreadState;
  users: Record<string, User>;
  statuses: Record<string, string>;
  /** channel id -> user id -> when their typing notice expires (local ms). */
  typing: Record<string, Record<string, number>>;
  connection: ConnectionState;
  /** Whether older history of the current channel is loading. */
  loadingHistory: boolean;
  /** A short message about the last failed action, shown until dismissed. */
  notice: string | undefined;
}

/** The state before login. */
export function initialChatState(): ChatState {
  return {
    me: undefined,
    teams: [],
    teamId: undefined,
    channels: {},
    channelId: undefined,
    windows: {},
    pending: {},
    unreads: emptyUnreads(),
    users: {},
    statuses: {},
    typing: {},
    connection: initialConnection(),
    loadingHistory: false,
    notice: undefined,
  };
}

/** The one chat store. */
export const useChat = create<ChatState>(() => initialChatState());

/** The window of a channel (an empty one when not loaded). */
export function windowOf(state: ChatState, channelId: string | undefined): MessageWindow {
  return (channelId && state.windows[channelId]) || EMPTY;
}
const EMPTY = emptyWindow();

/** A user's display name: nickname, full name, or username. */
export function displayName(user: User | undefined, fallback = 'someone'): string {
  if (!user) return fallback;
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.nickname || full || user.username;
}

/** The other member of a direct channel (named `<id>__<id>`). */
export function directPartner(channel: Channel, me: string): string | undefined {
  if (channel.type !== 'D') return undefined;
  const [a, b] = channel.name.split('__');
  return a === me ? b : a;
}

/** A post's author id and text for display, or the pending form. */
export type ShownPost = { kind: 'post'; post: Post } | { kind: 'pending'; pending: PendingPost };

/**
 * A user's presence as shown: others' as the server last said; one's own follows this page's
 * socket (online while connected; away or do-not-disturb when the server says so), because a node
 * tells others' changes only when asked and one's own may be announced before the socket listens.
 */
export function useStatus(userId: string | undefined): string | undefined {
  return useChat((s) => {
    if (!userId) return undefined;
    const known = s.statuses[userId];
    if (userId !== s.me?.id) return known;
    if (s.connection.phase !== 'online') return 'offline';
    return known === 'away' || known === 'dnd' ? known : 'online';
  });
}
