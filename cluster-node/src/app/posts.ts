import {
  broadcast,
  MAX_POST_MESSAGE_LENGTH,
  newId,
  SwitchboardError,
  type CreatePostRequest,
  type PatchPostRequest,
  type Post,
  type PostList,
  type UpdatePostRequest,
} from '@switchboard/shared';
import { getChannelAccess, isChannelMember, isTeamMember, type ChannelAccessRow } from '../store/members.store.js';
import {
  countPostInChannel,
  getAnchor,
  getChannelForPosting,
  getChannelLabels,
  getPost,
  getPostByPendingId,
  insertPost,
  insertRootPost,
  listChannelPosts,
  listPostsAround,
  listPostsSince,
  listThread,
  neighbourPostId,
  softDeletePost,
  toPost,
  touchPost,
  touchRootForReply,
  updatePostContent,
  type PostRow,
} from '../store/posts.store.js';
import { getUserById } from '../store/users.store.js';
import type { AuthContext, ServiceDeps } from './context.js';

/**
 * The most posts one `since` request returns, as Mattermost caps it. The earliest changes come
 * first, so a client that asks again from the newest update_at it received sees the rest.
 * @default 1000
 */
export const MAX_SINCE_POSTS = 1000;

/** How a channel's posts are asked for; Mattermost takes since, then after, then before, then a page. */
export type ChannelPostsQuery =
  | { mode: 'since'; since: number }
  | { mode: 'before' | 'after'; postId: string; page: number; perPage: number }
  | { mode: 'page'; page: number; perPage: number };

/** What a post may be changed to; undefined keeps the current value. */
interface PostChange {
  message?: string;
  props?: Record<string, unknown>;
  isPinned?: boolean;
}

/** Mattermost counts runes (code points), not UTF-16 units: an emoji is one character. */
function codePointLength(text: string, stopAfter: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count <= stopAfter; i += 1, count += 1) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i += 1;
  }
  return count;
}

/** Refuses a message Mattermost would refuse, or Postgres could not store (NUL). */
function assertValidMessage(message: string): void {
  if (message.length > MAX_POST_MESSAGE_LENGTH && codePointLength(message, MAX_POST_MESSAGE_LENGTH) > MAX_POST_MESSAGE_LENGTH) {
    throw new SwitchboardError('model.post.is_valid.msg.app_error', { detail: `length > ${MAX_POST_MESSAGE_LENGTH}` });
  }
  if (message.includes('\u0000')) {
    throw new SwitchboardError('model.post.is_valid.msg.app_error', { message: 'The message must not contain NUL characters.', detail: 'message contains U+0000' });
  }
}

/** jsonb cannot hold U+0000 in a string or key; refuse it at the boundary rather than fail in the database. */
function assertStorableProps(props: Record<string, unknown> | undefined): void {
  if (props && JSON.stringify(props).includes('\\u0000')) {
    throw new SwitchboardError('api.context.invalid_body_param.app_error', { detail: 'props: must not contain NUL characters' });
  }
}

function notFound(postId: string): SwitchboardError {
  return new SwitchboardError('app.post.get.app_error', { detail: `post_id=${postId}` });
}

/** A PostList from rows already in order (newest first). */
function toPostList(rows: readonly PostRow[], cursors: { next: string; prev: string; hasNext: boolean }): PostList {
  const posts: Record<string, Post> = {};
  for (const row of rows) posts[row.id] = toPost(row);
  return { order: rows.map((row) => row.id), posts, next_post_id: cursors.next, prev_post_id: cursors.prev, has_next: cursors.hasNext };
}

const EMPTY_CURSORS = { next: '', prev: '', hasNext: false };

/** The channel's labels and the sender, read once per create for the `posted` event. */
type PostedContext = [Awaited<ReturnType<typeof getChannelLabels>>, Awaited<ReturnType<typeof getUserById>>];

/**
 * How long after its creation a retried create announces the post again (it may have been
 * committed by a node that died before publishing). Older retries only return the post.
 * @default 60000
 */
export const REPUBLISH_WINDOW_MS = 60_000;

/** Posts: create (idempotent by pending_post_id), read, edit, delete, threads and channel paging. */
export class PostService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Creates a post in a channel the caller belongs to and publishes `posted`; a retried create returns the first post. */
  async create(auth: AuthContext, input: CreatePostRequest): Promise<Post> {
    assertValidMessage(input.message);
    assertStorableProps(input.props);
    const pendingPostId = input.pending_post_id ?? '';
    // Independent reads go out together, and the channel's access, labels and the caller's
    // membership come in one: round trips are most of a post's latency (docs/BENCHMARKS.md).
    const [channel, earlier, sender] = await Promise.all([
      getChannelForPosting(this.deps.db, input.channel_id, auth.userId),
      pendingPostId ? getPostByPendingId(this.deps.db, auth.userId, pendingPostId) : undefined,
      getUserById(this.deps.db, auth.userId),
    ]);
    if (!channel) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `channel_id=${input.channel_id}` });
    // Posting takes channel membership, for system admins too: one simple rule where Mattermost
    // would let an admin post anywhere.
    if (!channel.is_member) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: `not a member of channel_id=${channel.id}` });
    }
    if (Number(channel.delete_at) > 0) throw new SwitchboardError('api.post.create_post.channel_archived.app_error', { detail: `channel_id=${channel.id}` });
    const context: PostedContext = [channel, sender];
    if (earlier) return this.retried(auth, toPost(earlier), channel.id, context);
    const rootId = input.root_id ?? '';
    const now = this.deps.now();
    const row = rootId === ''
      ? await insertRootPost(this.deps.db, { id: newId(), now, userId: auth.userId, channelId: channel.id, message: input.message, props: input.props ?? {}, pendingPostId })
      : await this.insertReply(auth, input, channel.id, rootId, now, pendingPostId);
    if (!row) return this.retried(auth, toPost((await getPostByPendingId(this.deps.db, auth.userId, pendingPostId))!), channel.id, context);
    const post = toPost(row);
    this.deps.metrics.postsCreated.inc();
    this.deps.log.debug({ postId: post.id, channelId: post.channel_id, userId: auth.userId }, 'post created');
    await this.publishPosted(auth, post, context);
    return post;
  }

  /** A reply: inserted, its root checked and touched, and counted, in one transaction. */
  private insertReply(auth: AuthContext, input: CreatePostRequest, channelId: string, rootId: string, now: number, pendingPostId: string): Promise<PostRow | undefined> {
    return this.deps.db.transaction(async (tx) => {
      const id = await insertPost(tx, { id: newId(), now, userId: auth.userId, channelId, rootId, message: input.message, props: input.props ?? {}, pendingPostId });
      // A concurrent retry with the same pending_post_id committed first: nothing to count.
      if (id === undefined) return undefined;
      if (rootId && !(await touchRootForReply(tx, rootId, channelId, now))) {
        throw new SwitchboardError('model.post.is_valid.root_id.app_error', { detail: `root_id=${rootId}` });
      }
      const created = await getPost(tx, id);
      // Last before COMMIT: the channel row stays locked until then, and the channel's other
      // posts wait for that lock.
      await countPostInChannel(tx, channelId, now, false);
      return created;
    });
  }

  /** An undeleted post the caller can read. */
  async get(auth: AuthContext, postId: string): Promise<Post> {
    const row = await this.requireLivePost(postId);
    await this.requireReadableChannel(auth, row.channel_id);
    return toPost(row);
  }

  /** PUT /posts/{id}/patch: changes only the fields given. */
  patch(auth: AuthContext, postId: string, input: PatchPostRequest): Promise<Post> {
    return this.edit(auth, postId, { message: input.message, props: input.props, isPinned: input.is_pinned });
  }

  /** PUT /posts/{id}: Mattermost's full update (missing message '' and is_pinned false; missing props kept). */
  update(auth: AuthContext, postId: string, input: UpdatePostRequest): Promise<Post> {
    if (input.id !== postId) throw new SwitchboardError('api.context.invalid_body_param.app_error', { detail: 'id: must equal the post_id of the URL' });
    return this.edit(auth, postId, { message: input.message ?? '', props: input.props ?? undefined, isPinned: input.is_pinned ?? false });
  }

  /** Soft-deletes an own post (any post for a system admin), a root with its replies; publishes `post_deleted`. */
  async delete(auth: AuthContext, postId: string): Promise<void> {
    const old = await this.requireLivePost(postId);
    const channel = await this.requireModifiable(auth, old);
    if (Number(channel.delete_at) > 0) throw new SwitchboardError('api.post.delete_post.can_not_delete_post_in_deleted.error', { detail: `channel_id=${channel.id}` });
    const now = this.deps.now();
    const row = await this.deps.db.transaction(async (tx) => {
      if (!(await softDeletePost(tx, postId, now))) throw notFound(postId);
      if (old.root_id) await touchPost(tx, old.root_id, now);
      return (await getPost(tx, postId))!;
    });
    this.deps.log.debug({ postId, userId: auth.userId }, 'post deleted');
    await this.deps.bus.publish({
      kind: 'post_deleted',
      broadcast: broadcast({ channel_id: old.channel_id }),
      data: { post: JSON.stringify(toPost(row)), delete_by: auth.userId },
    });
  }

  /** A post's whole thread (its root and the root's undeleted replies), newest first. */
  async thread(auth: AuthContext, postId: string): Promise<PostList> {
    const row = await this.requireLivePost(postId);
    await this.requireReadableChannel(auth, row.channel_id);
    return toPostList(await listThread(this.deps.db, row.root_id || row.id), EMPTY_CURSORS);
  }

  /** A channel's posts by page, around a post, or changed since a time (deleted ones included, blanked). */
  async listForChannel(auth: AuthContext, channelId: string, query: ChannelPostsQuery): Promise<PostList> {
    await this.requireReadableChannel(auth, channelId);
    if (query.mode === 'since') return toPostList(await listPostsSince(this.deps.db, channelId, query.since, MAX_SINCE_POSTS), EMPTY_CURSORS);
    if (query.mode !== 'page') return this.listAround(channelId, query.mode, query.postId, query.page, query.perPage);
    const rows = await listChannelPosts(this.deps.db, channelId, query.perPage, query.page * query.perPage);
    const next = rows.length > 0 ? await neighbourPostId(this.deps.db, channelId, rows[0]!, 'after') : '';
    const prev = rows.length > 0 ? await neighbourPostId(this.deps.db, channelId, rows[rows.length - 1]!, 'before') : '';
    return toPostList(rows, { next, prev, hasNext: prev !== '' });
  }

  /**
   * Posts strictly before or after an anchor post, newest first, with Mattermost's cursors: on
   * page 0 the cursor back towards the anchor is the anchor itself; a short page has reached its end.
   * `has_next` says whether more posts lie further in the paging direction. An anchor that is not
   * a post of this channel gives an empty list (Mattermost answers 200 with an empty list too).
   */
  private async listAround(channelId: string, direction: 'before' | 'after', anchorId: string, page: number, perPage: number): Promise<PostList> {
    const db = this.deps.db;
    const anchor = await getAnchor(db, channelId, anchorId);
    if (!anchor) return toPostList([], EMPTY_CURSORS);
    const found = await listPostsAround(db, channelId, anchor, direction, perPage, page * perPage);
    const rows = direction === 'after' ? found.reverse() : found;
    const newest = rows[0];
    const oldest = rows[rows.length - 1];
    const full = rows.length >= perPage;
    if (direction === 'before') {
      const next = page === 0 ? anchorId : newest ? await neighbourPostId(db, channelId, newest, 'after') : '';
      const prev = full && oldest ? await neighbourPostId(db, channelId, oldest, 'before') : '';
      return toPostList(rows, { next, prev, hasNext: prev !== '' });
    }
    const prev = page === 0 ? anchorId : oldest ? await neighbourPostId(db, channelId, oldest, 'before') : '';
    const next = full && newest ? await neighbourPostId(db, channelId, newest, 'after') : '';
    return toPostList(rows, { next, prev, hasNext: next !== '' });
  }

  /** Applies an edit to an own post (any post for a system admin) and publishes `post_edited`. */
  private async edit(auth: AuthContext, postId: string, change: PostChange): Promise<Post> {
    if (change.message !== undefined) assertValidMessage(change.message);
    assertStorableProps(change.props);
    const old = await this.requireLivePost(postId);
    const channel = await this.requireModifiable(auth, old);
    if (Number(channel.delete_at) > 0) throw new SwitchboardError('api.post.update_post.can_not_update_post_in_deleted.error', { detail: `channel_id=${channel.id}` });
    const now = this.deps.now();
    const message = change.message ?? old.message;
    const row = await this.deps.db.transaction(async (tx) => {
      const updated = await updatePostContent(tx, postId, {
        message,
        props: change.props ?? old.props,
        isPinned: change.isPinned ?? old.is_pinned,
        editAt: message === old.message ? Number(old.edit_at) : now,
        now,
      });
      if (!updated) throw notFound(postId);
      if (old.root_id) await touchPost(tx, old.root_id, now);
      return (await getPost(tx, postId))!;
    });
    const post = toPost(row);
    await this.deps.bus.publish({ kind: 'post_edited', broadcast: broadcast({ channel_id: post.channel_id }), data: { post: JSON.stringify(post) } });
    return post;
  }

  /**
   * A retried create (same pending_post_id). The first attempt may have committed and then lost
   * its node before publishing, so a recent post is announced again under the same envelope id
   * (the post id): receivers that had it drop the repeat, the others get it now. The channel and
   * sender read for the retry (`context`, of `channelId`) are reused when it is the post's channel.
   */
  private async retried(auth: AuthContext, post: Post, channelId: string, context: PostedContext): Promise<Post> {
    if (this.deps.now() - post.create_at < REPUBLISH_WINDOW_MS) await this.publishPosted(auth, post, post.channel_id === channelId ? context : undefined);
    return post;
  }

  /** What the `posted` event says besides the post: the channel's labels and the sender. */
  private postedContext(auth: AuthContext, channelId: string): Promise<PostedContext> {
    return Promise.all([getChannelLabels(this.deps.db, channelId), getUserById(this.deps.db, auth.userId)]);
  }

  private async publishPosted(auth: AuthContext, post: Post, context?: PostedContext): Promise<void> {
    const [labels, sender] = context ?? (await this.postedContext(auth, post.channel_id));
    // The envelope id is the post id: announcing the same post twice is delivered once.
    await this.deps.bus.publish({
      kind: 'posted',
      broadcast: broadcast({ channel_id: post.channel_id }),
      data: {
        channel_display_name: labels?.display_name ?? '',
        channel_name: labels?.name ?? '',
        channel_type: labels?.type ?? 'O',
        post: JSON.stringify(post),
        sender_name: `@${sender?.username ?? ''}`,
        team_id: labels?.team_id ?? '',
        set_online: true,
      },
    }, { id: post.id });
  }

  private async requireLivePost(postId: string): Promise<PostRow> {
    const row = await getPost(this.deps.db, postId);
    if (!row || Number(row.delete_at) > 0) throw notFound(postId);
    return row;
  }

  private async requireChannel(channelId: string): Promise<ChannelAccessRow> {
    const channel = await getChannelAccess(this.deps.db, channelId);
    if (!channel) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `channel_id=${channelId}` });
    return channel;
  }

  /** The channel, if the caller may read it: a member, a team member for an open channel, or a system admin. */
  private async requireReadableChannel(auth: AuthContext, channelId: string): Promise<ChannelAccessRow> {
    const channel = await this.requireChannel(channelId);
    if (auth.isSystemAdmin || (await isChannelMember(this.deps.db, channel.id, auth.userId))) return channel;
    if (channel.type === 'O' && channel.team_id !== '' && (await isTeamMember(this.deps.db, channel.team_id, auth.userId))) return channel;
    throw new SwitchboardError('api.context.permissions.app_error', { detail: `cannot read channel_id=${channelId}` });
  }

  /** The post's channel, if the caller may change the post: its author while a channel member, or a system admin. */
  private async requireModifiable(auth: AuthContext, post: PostRow): Promise<ChannelAccessRow> {
    const channel = await this.requireChannel(post.channel_id);
    if (auth.isSystemAdmin) return channel;
    if (post.user_id === auth.userId && (await isChannelMember(this.deps.db, channel.id, auth.userId))) return channel;
    throw new SwitchboardError('api.context.permissions.app_error', { detail: `only the author or a system admin may change post_id=${post.id}` });
  }
}
