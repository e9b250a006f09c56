import type { Channel, ChannelMember, Post } from '@switchboard/shared';

/**
 * Unread counts, the Mattermost way: a channel's unread messages are its `total_msg_count` less
 * the member's `msg_count` (both from the server); viewing a channel makes them equal. Between
 * fetches, `posted` events move the counts here, each post counted once however often it arrives.
 */
export interface UnreadState {
  /** channel id -> messages in the channel, as far as this client knows. */
  total: Readonly<Record<string, number>>;
  /** channel id -> messages the user has seen. */
  seen: Readonly<Record<string, number>>;
  /** Ids of posts already counted (bounded; see {@link COUNTED_LIMIT}). */
  counted: readonly string[];
  /**
   * channel id -> the channel's last_post_at in the server's figures: a post created no later
   * was already in its total_msg_count, so its `posted` event arriving after the fetch adds nothing.
   */
  countedUpTo: Readonly<Record<string, number>>;
}

/** How many recently counted post ids are kept to refuse a second count. @default 2000 */
export const COUNTED_LIMIT = 2_000;

/** No channels yet. */
export function emptyUnreads(): UnreadState {
  return { total: {}, seen: {}, counted: [], countedUpTo: {} };
}

/** The server's view: totals of the channels, seen counts of the user's memberships. */
export function unreadsFromServer(channels: readonly Channel[], members: readonly ChannelMember[], previous: UnreadState = emptyUnreads()): UnreadState {
  const total: Record<string, number> = {};
  const seen: Record<string, number> = {};
  const countedUpTo: Record<string, number> = {};
  for (const channel of channels) {
    total[channel.id] = channel.total_msg_count;
    countedUpTo[channel.id] = channel.last_post_at;
  }
  for (const member of members) if (member.channel_id in total) seen[member.channel_id] = member.msg_count;
  return { total, seen, counted: previous.counted, countedUpTo };
}

/** Unread messages of a channel (never negative). */
export function unreadCount(state: UnreadState, channelId: string): number {
  return Math.max(0, (state.total[channelId] ?? 0) - (state.seen[channelId] ?? 0));
}

/**
 * Counts a new post in. A post counts once (by id, and not again when the server's figures
 * already held it); it is read at once when the user is looking at its channel or wrote it.
 * @example state = countPosted(state, post, { me, activeChannelId, visible: true });
 */
export function countPosted(state: UnreadState, post: Pick<Post, 'id' | 'channel_id' | 'user_id' | 'create_at'>, view: { me: string; activeChannelId: string | undefined; visible: boolean }): UnreadState {
  if (state.counted.includes(post.id)) return state;
  const inSnapshot = post.create_at <= (state.countedUpTo[post.channel_id] ?? -1);
  const total = (state.total[post.channel_id] ?? 0) + (inSnapshot ? 0 : 1);
  const read = post.user_id === view.me || (view.visible && view.activeChannelId === post.channel_id);
  const counted = state.counted.length >= COUNTED_LIMIT ? [...state.counted.slice(-COUNTED_LIMIT + 1), post.id] : [...state.counted, post.id];
  return {
    total: { ...state.total, [post.channel_id]: total },
    seen: read ? { ...state.seen, [post.channel_id]: total } : state.seen,
    counted,
    countedUpTo: state.countedUpTo,
  };
}

/** The user has seen everything in a channel (opened it, or another tab of theirs viewed it). */
export function markRead(state: UnreadState, channelId: string): UnreadState {
  const total = state.total[channelId] ?? 0;
  if (state.seen[channelId] === total) return state;
  return { ...state, seen: { ...state.seen, [channelId]: total } };
}
