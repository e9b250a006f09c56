import type { Post } from '@switchboard/shared';
import type { Queryable } from './db.js';

/**
 * Posts: SQL only. Every list is ordered by (create_at, id) so posts sharing a millisecond still
 * have one stable place; bigint columns come back from pg as strings and become numbers in
 * {@link toPost}.
 */

/** A posts row with its thread's undeleted reply count. */
export interface PostRow {
  id: string;
  create_at: string;
  update_at: string;
  edit_at: string;
  delete_at: string;
  is_pinned: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  pending_post_id: string;
  reply_count: string;
}

/** Where a post sits in a channel's order, for before/after paging. */
export interface PostAnchor {
  create_at: string;
  id: string;
}

/** What the `posted` event says about a channel. */
export interface ChannelLabels {
  team_id: string;
  type: 'O' | 'P' | 'D';
  name: string;
  display_name: string;
}

// Replies of the post's thread (the post itself when it is a root), deleted ones not counted.
const SELECT_POST = `SELECT p.*, (SELECT count(*) FROM posts r
    WHERE r.root_id = CASE WHEN p.root_id = '' THEN p.id ELSE p.root_id END AND r.delete_at = 0) AS reply_count
  FROM posts p`;

/** The API shape of a row. A deleted post never shows its text or props. */
export function toPost(row: PostRow): Post {
  const deleted = Number(row.delete_at) > 0;
  return {
    id: row.id,
    create_at: Number(row.create_at),
    update_at: Number(row.update_at),
    edit_at: Number(row.edit_at),
    delete_at: Number(row.delete_at),
    is_pinned: row.is_pinned,
    user_id: row.user_id,
    channel_id: row.channel_id,
    root_id: row.root_id,
    original_id: row.original_id,
    message: deleted ? '' : row.message,
    type: row.type,
    props: deleted ? {} : row.props,
    hashtags: row.hashtags,
    pending_post_id: row.pending_post_id,
    reply_count: Number(row.reply_count),
    metadata: {},
  };
}

/**
 * Inserts a post; returns its id, or undefined when this user already created a post with the
 * same pending_post_id (the retry of a create: the caller returns the first post instead).
 */
export async function insertPost(
  db: Queryable,
  post: { id: string; now: number; userId: string; channelId: string; rootId: string; message: string; props: Record<string, unknown>; pendingPostId: string },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO posts (id, create_at, update_at, user_id, channel_id, root_id, message, props, pending_post_id)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (user_id, pending_post_id) WHERE pending_post_id <> '' DO NOTHING RETURNING id`,
    [post.id, post.now, post.userId, post.channelId, post.rootId, post.message, post.props, post.pendingPostId],
  );
  return rows[0]?.id;
}

/**
 * Creates a root post and counts it into its channel in ONE statement (no BEGIN/COMMIT round
 * trips, and the channel row is locked only for the statement): the hot path of posting.
 * Undefined when a post with the same `(user_id, pending_post_id)` exists (a retry). A new root
 * has no replies yet, so its reply_count is 0.
 */
export async function insertRootPost(
  db: Queryable,
  post: { id: string; now: number; userId: string; channelId: string; message: string; props: Record<string, unknown>; pendingPostId: string },
): Promise<PostRow | undefined> {
  const { rows } = await db.query<PostRow>(
    `WITH ins AS (
       INSERT INTO posts (id, create_at, update_at, user_id, channel_id, root_id, message, props, pending_post_id)
       VALUES ($1, $2, $2, $3, $4, '', $5, $6, $7)
       ON CONFLICT (user_id, pending_post_id) WHERE pending_post_id <> '' DO NOTHING RETURNING *
     ), counted AS (
       UPDATE channels SET last_post_at = GREATEST(last_post_at, $2), total_msg_count = total_msg_count + 1,
         last_root_post_at = GREATEST(last_root_post_at, $2)
       WHERE id = $4 AND EXISTS (SELECT 1 FROM ins)
     )
     SELECT ins.*, 0 AS reply_count FROM ins`,
    [post.id, post.now, post.userId, post.channelId, post.message, post.props, post.pendingPostId],
  );
  return rows[0];
}

/** A post by id, deleted or not. */
export async function getPost(db: Queryable, id: string): Promise<PostRow | undefined> {
  const { rows } = await db.query<PostRow>(`${SELECT_POST} WHERE p.id = $1`, [id]);
  return rows[0];
}

/** The post a user created with this pending_post_id, if any. */
export async function getPostByPendingId(db: Queryable, userId: string, pendingPostId: string): Promise<PostRow | undefined> {
  const { rows } = await db.query<PostRow>(`${SELECT_POST} WHERE p.user_id = $1 AND p.pending_post_id = $2 AND p.pending_post_id <> ''`, [userId, pendingPostId]);
  return rows[0];
}

/**
 * Marks a root as changed by a new reply (so `since` returns it with its new reply count) and
 * locks it for the rest of the transaction. False when it is not an undeleted root of the channel.
 */
export async function touchRootForReply(db: Queryable, rootId: string, channelId: string, now: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE posts SET update_at = GREATEST(update_at, $3) WHERE id = $1 AND channel_id = $2 AND root_id = '' AND delete_at = 0`,
    [rootId, channelId, now],
  );
  return rowCount === 1;
}

/** Bumps a post's update_at (a root whose thread changed). */
export async function touchPost(db: Queryable, id: string, now: number): Promise<void> {
  await db.query('UPDATE posts SET update_at = GREATEST(update_at, $2) WHERE id = $1', [id, now]);
}

/** Counts a new post into its channel: last_post_at, total_msg_count, last_root_post_at for roots. */
export async function countPostInChannel(db: Queryable, channelId: string, createAt: number, isRoot: boolean): Promise<void> {
  await db.query(
    `UPDATE channels SET last_post_at = GREATEST(last_post_at, $2), total_msg_count = total_msg_count + 1,
       last_root_post_at = CASE WHEN $3::boolean THEN GREATEST(last_root_post_at, $2) ELSE last_root_post_at END
     WHERE id = $1`,
    [channelId, createAt, isRoot],
  );
}

/** Rewrites an undeleted post's editable fields; false when it is gone or deleted. */
export async function updatePostContent(
  db: Queryable,
  id: string,
  change: { message: string; props: Record<string, unknown>; isPinned: boolean; editAt: number; now: number },
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE posts SET message = $2, props = $3, is_pinned = $4, edit_at = $5, update_at = $6 WHERE id = $1 AND delete_at = 0',
    [id, change.message, change.props, change.isPinned, change.editAt, change.now],
  );
  return rowCount === 1;
}

/**
 * Soft-deletes a post and, for a root, its replies. False when the post is gone or already deleted.
 * HAZARD: the root is locked first and the replies updated by a second statement, whose fresh
 * snapshot sees a reply committed while we waited for the lock; one UPDATE would miss it.
 */
export async function softDeletePost(db: Queryable, id: string, now: number): Promise<boolean> {
  const { rows } = await db.query('SELECT id FROM posts WHERE id = $1 AND delete_at = 0 FOR UPDATE', [id]);
  if (rows.length === 0) return false;
  await db.query('UPDATE posts SET delete_at = $2, update_at = $2 WHERE (id = $1 OR root_id = $1) AND delete_at = 0', [id, now]);
  return true;
}

/** A page of a channel's undeleted posts, newest first. */
export async function listChannelPosts(db: Queryable, channelId: string, limit: number, offset: number): Promise<PostRow[]> {
  const { rows } = await db.query<PostRow>(
    `${SELECT_POST} WHERE p.channel_id = $1 AND p.delete_at = 0 ORDER BY p.create_at DESC, p.id DESC LIMIT $2 OFFSET $3`,
    [channelId, limit, offset],
  );
  return rows;
}

/** The anchor of before/after paging: a post of this channel (deleted ones still count, as in Mattermost). */
export async function getAnchor(db: Queryable, channelId: string, postId: string): Promise<PostAnchor | undefined> {
  const { rows } = await db.query<PostAnchor>('SELECT create_at, id FROM posts WHERE id = $1 AND channel_id = $2', [postId, channelId]);
  return rows[0];
}

/**
 * Undeleted posts strictly older (`before`) or newer (`after`) than the anchor, the nearest first,
 * skipping `offset` of them: `before` comes back newest first, `after` oldest first.
 */
export async function listPostsAround(db: Queryable, channelId: string, anchor: PostAnchor, direction: 'before' | 'after', limit: number, offset: number): Promise<PostRow[]> {
  const [cmp, sort] = direction === 'before' ? ['<', 'DESC'] : ['>', 'ASC'];
  const { rows } = await db.query<PostRow>(
    `${SELECT_POST} WHERE p.channel_id = $1 AND p.delete_at = 0 AND (p.create_at, p.id) ${cmp} ($2::bigint, $3::text)
     ORDER BY p.create_at ${sort}, p.id ${sort} LIMIT $4 OFFSET $5`,
    [channelId, anchor.create_at, anchor.id, limit, offset],
  );
  return rows;
}

/** The id of the nearest undeleted post older (`before`) or newer (`after`) than the anchor, or ''. */
export async function neighbourPostId(db: Queryable, channelId: string, anchor: PostAnchor, direction: 'before' | 'after'): Promise<string> {
  const [cmp, sort] = direction === 'before' ? ['<', 'DESC'] : ['>', 'ASC'];
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM posts WHERE channel_id = $1 AND delete_at = 0 AND (create_at, id) ${cmp} ($2::bigint, $3::text)
     ORDER BY create_at ${sort}, id ${sort} LIMIT 1`,
    [channelId, anchor.create_at, anchor.id],
  );
  return rows[0]?.id ?? '';
}

/**
 * Posts of a channel changed after `since` (created, edited or deleted), newest first. At most
 * `limit`, taking the earliest changes first so a client repeating with the newest update_at
 * it saw walks through everything.
 */
export async function listPostsSince(db: Queryable, channelId: string, since: number, limit: number): Promise<PostRow[]> {
  const { rows } = await db.query<PostRow>(
    `SELECT * FROM (${SELECT_POST} WHERE p.channel_id = $1 AND p.update_at > $2 ORDER BY p.update_at, p.id LIMIT $3) changed
     ORDER BY create_at DESC, id DESC`,
    [channelId, since, limit],
  );
  return rows;
}

/** A root and its undeleted replies, newest first. */
export async function listThread(db: Queryable, rootId: string): Promise<PostRow[]> {
  const { rows } = await db.query<PostRow>(
    `${SELECT_POST} WHERE (p.id = $1 OR p.root_id = $1) AND p.delete_at = 0 ORDER BY p.create_at DESC, p.id DESC`,
    [rootId],
  );
  return rows;
}

/** A channel as posting needs it: access fields, the `posted` event's labels, and whether the user is a member. */
export interface ChannelForPosting extends ChannelLabels {
  id: string;
  delete_at: string;
  is_member: boolean;
}

/** One read for everything a new post checks and announces about its channel (undefined: no such channel). */
export async function getChannelForPosting(db: Queryable, channelId: string, userId: string): Promise<ChannelForPosting | undefined> {
  const { rows } = await db.query<ChannelForPosting>(
    `SELECT c.id, c.team_id, c.type, c.name, c.display_name, c.delete_at,
       EXISTS (SELECT 1 FROM channel_members m WHERE m.channel_id = c.id AND m.user_id = $2) AS is_member
     FROM channels c WHERE c.id = $1`,
    [channelId, userId],
  );
  return rows[0];
}

/** Name, display name, type and team of a channel, for the `posted` event. */
export async function getChannelLabels(db: Queryable, channelId: string): Promise<ChannelLabels | undefined> {
  const { rows } = await db.query<ChannelLabels>('SELECT team_id, type, name, display_name FROM channels WHERE id = $1', [channelId]);
  return rows[0];
}
