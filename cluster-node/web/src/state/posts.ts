import type { Post } from '@switchboard/shared';

/**
 * A channel's message list as the client holds it: posts by id and their display order, oldest
 * first. Everything that changes it goes through {@link mergePosts}, which is idempotent: the same
 * post arriving twice (REST answer and `posted` event, a backfill overlapping live events, a replay
 * after resume) shows once; an older copy never overwrites a newer one; a deleted post leaves.
 */
export interface MessageWindow {
  /** Posts by id (never deleted ones). */
  byId: Readonly<Record<string, Post>>;
  /** Ids in display order: by create_at, then id (ids are unique, so the order is total). */
  order: readonly string[];
  /** Ids of posts known deleted, so a stale copy arriving later does not bring them back. */
  deleted: ReadonlySet<string>;
  /** Whether the oldest post of the channel is loaded (history scroll stops). */
  reachedStart: boolean;
}

/** An empty window. */
export function emptyWindow(): MessageWindow {
  return { byId: {}, order: [], deleted: new Set(), reachedStart: false };
}

/** Display order of two posts: create_at, then id. */
export function comparePosts(a: Pick<Post, 'create_at' | 'id'>, b: Pick<Post, 'create_at' | 'id'>): number {
  if (a.create_at !== b.create_at) return a.create_at - b.create_at;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether `incoming` should replace `current` (a later update, or the same one). */
function isNewer(incoming: Post, current: Post): boolean {
  return incoming.update_at >= current.update_at;
}

/**
 * Merges posts into a window: new ones are added in order, newer versions replace older ones,
 * deleted ones (delete_at > 0) are removed and remembered. Returns the same window when nothing
 * changed, so React skips a render.
 * @example const next = mergePosts(window, Object.values(postList.posts));
 */
export function mergePosts(window: MessageWindow, posts: readonly Post[]): MessageWindow {
  let byId: Record<string, Post> | undefined;
  let deleted: Set<string> | undefined;
  let orderChanged = false;
  for (const post of posts) {
    const current = (byId ?? window.byId)[post.id];
    if (post.delete_at > 0) {
      if (!(deleted ?? window.deleted).has(post.id)) (deleted ??= new Set(window.deleted)).add(post.id);
      if (current) {
        byId ??= { ...window.byId };
        delete byId[post.id];
        orderChanged = true;
      }
      continue;
    }
    if ((deleted ?? window.deleted).has(post.id)) continue;
    if (current && !isNewer(post, current)) continue;
    if (current && current.update_at === post.update_at && current.message === post.message) continue;
    byId ??= { ...window.byId };
    byId[post.id] = post;
    if (!current || current.create_at !== post.create_at) orderChanged = true;
  }
  if (!byId && !deleted) return window;
  const nextById = byId ?? window.byId;
  const order = orderChanged ? Object.values(nextById).sort(comparePosts).map((post) => post.id) : window.order;
  return { ...window, byId: nextById, order, deleted: deleted ?? window.deleted };
}

/** Marks that the window holds the channel's very first post. */
export function markReachedStart(window: MessageWindow): MessageWindow {
  return window.reachedStart ? window : { ...window, reachedStart: true };
}

/** The posts of a window in display order. */
export function postsInOrder(window: MessageWindow): Post[] {
  return window.order.map((id) => window.byId[id]!).filter(Boolean);
}

/** The oldest post loaded (the anchor for loading earlier history), if any. */
export function oldestPost(window: MessageWindow): Post | undefined {
  const id = window.order[0];
  return id ? window.byId[id] : undefined;
}

/** Posts of a Mattermost post list (`{order, posts}`), in any order. */
export function postsOfList(list: { order: readonly string[]; posts: Readonly<Record<string, Post>> }): Post[] {
  return Object.values(list.posts);
}
