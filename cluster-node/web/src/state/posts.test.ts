import type { Post } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { comparePosts, emptyWindow, markReachedStart, mergePosts, oldestPost, postsInOrder } from './posts.js';

function post(id: string, createAt: number, extra: Partial<Post> = {}): Post {
  return {
    id: id.padEnd(26, 'a'), create_at: createAt, update_at: createAt, edit_at: 0, delete_at: 0, is_pinned: false, user_id: 'u'.repeat(26),
    channel_id: 'c'.repeat(26), root_id: '', original_id: '', message: `message ${id}`, type: '', props: {}, hashtags: '', pending_post_id: '',
    reply_count: 0, metadata: {}, ...extra,
  };
}

const messages = (window: ReturnType<typeof emptyWindow>) => postsInOrder(window).map((p) => p.message);

describe('message window merge', () => {
  it('orders by create_at, then by id for posts of the same millisecond', () => {
    const window = mergePosts(emptyWindow(), [post('c', 300), post('b', 100), post('z', 200), post('a', 200)]);
    expect(messages(window)).toEqual(['message b', 'message a', 'message z', 'message c']);
    expect(comparePosts(post('a', 5), post('b', 5))).toBeLessThan(0);
    expect(oldestPost(window)?.message).toBe('message b');
  });

  it('shows a post once however often it arrives (REST answer, posted event, backfill, replay)', () => {
    const p = post('p', 100);
    let window = mergePosts(emptyWindow(), [p]);
    const again = mergePosts(window, [p, { ...p }]);
    expect(again).toBe(window);
    window = mergePosts(window, [post('q', 200), p, post('q', 200)]);
    expect(window.order).toHaveLength(2);
    expect(new Set(window.order).size).toBe(2);
  });

  it('takes an edit, and never lets an older copy overwrite it', () => {
    const original = post('p', 100);
    const edited = { ...original, message: 'edited', edit_at: 150, update_at: 150 };
    let window = mergePosts(emptyWindow(), [original, edited]);
    expect(messages(window)).toEqual(['edited']);
    window = mergePosts(window, [original]);
    expect(messages(window)).toEqual(['edited']);
  });

  it('removes a deleted post and keeps it out when a stale copy arrives later', () => {
    const p = post('p', 100);
    let window = mergePosts(emptyWindow(), [p, post('q', 200)]);
    window = mergePosts(window, [{ ...p, delete_at: 300, update_at: 300, message: '' }]);
    expect(messages(window)).toEqual(['message q']);
    window = mergePosts(window, [p]);
    expect(messages(window)).toEqual(['message q']);
    // A delete for a post never seen is remembered too (a backfill can bring the delete first).
    window = mergePosts(window, [post('r', 250, { delete_at: 400 }), post('r', 250)]);
    expect(messages(window)).toEqual(['message q']);
  });

  it('merges an older history page in front without disturbing what is there', () => {
    let window = mergePosts(emptyWindow(), [post('d', 400), post('e', 500)]);
    window = mergePosts(window, [post('b', 200), post('c', 300), post('d', 400)]);
    expect(messages(window)).toEqual(['message b', 'message c', 'message d', 'message e']);
    expect(window.reachedStart).toBe(false);
    expect(markReachedStart(window).reachedStart).toBe(true);
  });
});
