import { postEventSchema, statusEventSchema, toPost, typingEventSchema, viewedEventSchema, type EventFrame } from '../api/schemas.js';
import type { ChatController } from './chat-controller.js';
import { useChat } from './store.js';
import { countPosted, markRead } from './unreads.js';

/** How long a typing notice shows after the last `typing` event. @default 5000 */
export const TYPING_SHOWN_MS = 5_000;

/** Events that change which channels or teams the user is in. */
const MEMBERSHIP_EVENTS = new Set(['channel_created', 'direct_added', 'user_added', 'user_removed', 'added_to_team']);

function isLooking(): boolean {
  return document.visibilityState === 'visible';
}

/**
 * Applies one socket event to the store. Posts merge idempotently; unread counts take each post
 * once; membership changes reload the channel list. A malformed payload is dropped (logged).
 */
export function applyEvent(chat: ChatController, frame: EventFrame): void {
  try {
    applyOne(chat, frame);
  } catch (err) {
    console.warn(`chat socket: dropped a ${frame.event} event`, err);
  }
}

function applyOne(chat: ChatController, frame: EventFrame): void {
  const state = useChat.getState();
  const data = frame.data ?? {};
  switch (frame.event) {
    case 'posted': {
      const post = toPost(postEventSchema.parse(data).post);
      if (!state.channels[post.channel_id]) {
        // A channel we do not list yet (a new direct message): reload the list, then count.
        if (state.teamId) void chat.refreshChannels(state.teamId);
        return;
      }
      chat.receivePosts([post]);
      const looking = isLooking();
      useChat.setState((s) => ({
        unreads: countPosted(s.unreads, post, { me: s.me?.id ?? '', activeChannelId: s.channelId, visible: looking }),
        typing: withoutTyping(s.typing, post.channel_id, post.user_id),
      }));
      // Seen where it is looked at; one's own posts too, so the server's msg_count keeps up (the
      // node does not move the poster's read mark when they post).
      if (looking && post.channel_id === state.channelId) chat.markViewed(post.channel_id);
      return;
    }
    case 'post_edited':
    case 'post_deleted':
      chat.receivePosts([toPost(postEventSchema.parse(data).post)]);
      return;
    case 'typing': {
      const typing = typingEventSchema.parse(data);
      const channelId = frame.broadcast?.channel_id ?? '';
      if (!channelId || typing.user_id === state.me?.id) return;
      void chat.ensureUsers([typing.user_id]);
      useChat.setState((s) => ({ typing: { ...s.typing, [channelId]: { ...s.typing[channelId], [typing.user_id]: Date.now() + TYPING_SHOWN_MS } } }));
      return;
    }
    case 'status_change': {
      const status = statusEventSchema.parse(data);
      useChat.setState((s) => ({ statuses: { ...s.statuses, [status.user_id]: status.status } }));
      return;
    }
    case 'multiple_channels_viewed': {
      const viewed = viewedEventSchema.parse(data);
      useChat.setState((s) => ({ unreads: Object.keys(viewed.channel_times).reduce(markRead, s.unreads) }));
      return;
    }
    default:
      if (MEMBERSHIP_EVENTS.has(frame.event) && state.teamId) {
        if (frame.event === 'added_to_team') void chat.api.myTeams().then((teams) => useChat.setState({ teams }));
        void chat.refreshChannels(state.teamId).catch(() => undefined);
      }
  }
}

function withoutTyping(typing: Record<string, Record<string, number>>, channelId: string, userId: string): Record<string, Record<string, number>> {
  if (!typing[channelId]?.[userId]) return typing;
  const { [userId]: _gone, ...rest } = typing[channelId];
  return { ...typing, [channelId]: rest };
}
