import type { Channel, ChannelMember } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { COUNTED_LIMIT, countPosted, emptyUnreads, markRead, unreadCount, unreadsFromServer } from './unreads.js';

const ME = 'm'.repeat(26);
const OTHER = 'o'.repeat(26);
const channel = (id: string, total: number, lastPostAt = 0) => ({ id, total_msg_count: total, last_post_at: lastPostAt }) as Channel;
const member = (channelId: string, count: number) => ({ channel_id: channelId, msg_count: count }) as ChannelMember;

describe('unread counting', () => {
  it("starts from the server: total_msg_count less the member's msg_count, never negative", () => {
    const state = unreadsFromServer([channel('a', 10), channel('b', 3), channel('c', 1)], [member('a', 7), member('b', 5), member('x', 1)]);
    expect(unreadCount(state, 'a')).toBe(3);
    expect(unreadCount(state, 'b')).toBe(0);
    expect(unreadCount(state, 'c')).toBe(1);
    expect(unreadCount(state, 'unknown')).toBe(0);
  });

  it('counts a post in another channel once, however often it arrives', () => {
    let state = unreadsFromServer([channel('a', 0), channel('b', 0)], [member('a', 0), member('b', 0)]);
    const view = { me: ME, activeChannelId: 'a', visible: true };
    const post = { id: 'p1', channel_id: 'b', user_id: OTHER, create_at: 1_000 };
    state = countPosted(state, post, view);
    state = countPosted(state, post, view);
    expect(unreadCount(state, 'b')).toBe(1);
    state = countPosted(state, { ...post, id: 'p2' }, view);
    expect(unreadCount(state, 'b')).toBe(2);
  });

  it("does not count posts in the channel being looked at, nor one's own", () => {
    let state = emptyUnreads();
    state = countPosted(state, { id: 'p1', channel_id: 'a', user_id: OTHER, create_at: 1_000 }, { me: ME, activeChannelId: 'a', visible: true });
    state = countPosted(state, { id: 'p2', channel_id: 'b', user_id: ME, create_at: 1_000 }, { me: ME, activeChannelId: 'a', visible: true });
    expect(unreadCount(state, 'a')).toBe(0);
    expect(unreadCount(state, 'b')).toBe(0);
    // A hidden tab is not looking: the active channel's posts count until it is seen again.
    state = countPosted(state, { id: 'p3', channel_id: 'a', user_id: OTHER, create_at: 1_000 }, { me: ME, activeChannelId: 'a', visible: false });
    expect(unreadCount(state, 'a')).toBe(1);
    state = markRead(state, 'a');
    expect(unreadCount(state, 'a')).toBe(0);
    expect(markRead(state, 'a')).toBe(state);
  });

  it("does not count a post again that the server's figures already held (event after the fetch)", () => {
    let state = unreadsFromServer([channel('b', 4, 5_000)], [member('b', 3)]);
    const view = { me: ME, activeChannelId: 'a', visible: true };
    state = countPosted(state, { id: 'old', channel_id: 'b', user_id: OTHER, create_at: 5_000 }, view);
    expect(unreadCount(state, 'b')).toBe(1);
    state = countPosted(state, { id: 'new', channel_id: 'b', user_id: OTHER, create_at: 5_001 }, view);
    expect(unreadCount(state, 'b')).toBe(2);
  });

  it('keeps the remembered post ids bounded, and keeps them across a server refresh', () => {
    let state = emptyUnreads();
    for (let i = 0; i < COUNTED_LIMIT + 10; i += 1) state = countPosted(state, { id: `p${i}`, channel_id: 'b', user_id: OTHER, create_at: 1_000 }, { me: ME, activeChannelId: 'a', visible: true });
    expect(state.counted.length).toBe(COUNTED_LIMIT);
    const refreshed = unreadsFromServer([channel('b', 5)], [member('b', 5)], state);
    expect(unreadCount(countPosted(refreshed, { id: `p${COUNTED_LIMIT + 9}`, channel_id: 'b', user_id: OTHER, create_at: 1_000 }, { me: ME, activeChannelId: 'a', visible: true }), 'b')).toBe(0);
  });
});
