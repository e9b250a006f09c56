import { PassThrough } from 'node:stream';
import { isClientEvent, MAX_POST_MESSAGE_LENGTH, newId, type ClientClusterEvent, type Post } from '@switchboard/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthContext } from '../src/app/context.js';
import { PostService } from '../src/app/posts.js';
import { createLogger } from '../src/logging/logger.js';
import type { ApiClient } from './support/api.js';
import { openFixtures, type Fixtures } from './support/fixtures.js';
import { startTestNode, type TestNode } from './support/node.js';

const POST_KEYS = ['channel_id', 'create_at', 'delete_at', 'edit_at', 'hashtags', 'id', 'is_pinned', 'message', 'metadata', 'original_id', 'pending_post_id', 'props', 'reply_count', 'root_id', 'type', 'update_at', 'user_id'];

describe('posts API', () => {
  let t: TestNode;
  let fx: Fixtures;
  let admin: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient; // on the team, in no channel
  let dave: ApiClient; // on no team
  let teamId: string;
  let open: string;
  let priv: string;
  let direct: string;
  let archived: string;
  const events: ClientClusterEvent[] = [];

  /** Lets the in-process bus deliver what the last request published. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const postCount = async () => Number((await fx.query<{ n: string }>('SELECT count(*) AS n FROM posts'))[0]!.n);
  const send = async (client: ApiClient, channelId: string, message: string, extra: Record<string, unknown> = {}): Promise<Post> => {
    const response = await client.post('/posts', { channel_id: channelId, message, ...extra });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };
  /** A post service whose clock stands still, to make posts share one millisecond. */
  const frozenService = (now: number) =>
    new PostService({ config: t.node.config, db: t.node.db, bus: t.node.bus, metrics: t.node.metrics, log: createLogger({ level: 'silent', nodeId: 'frozen', destination: new PassThrough() }), now: () => now });
  const authOf = (client: ApiClient): AuthContext => ({ sessionId: '', userId: client.userId, roles: 'system_user', isSystemAdmin: false });

  beforeAll(async () => {
    t = await startTestNode();
    admin = await t.user('admin'); // the first user is system admin
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol');
    dave = await t.user('dave');
    fx = await openFixtures(t.databaseUrl);
    teamId = await fx.team('posts-team');
    await fx.joinTeam(teamId, alice.userId, bob.userId, carol.userId);
    open = await fx.channel(teamId, 'O', 'town');
    priv = await fx.channel(teamId, 'P', 'secret');
    direct = await fx.channel(teamId, 'D', 'dm');
    archived = await fx.channel(teamId, 'O', 'old');
    for (const channel of [open, priv, direct]) await fx.joinChannel(channel, alice.userId, bob.userId);
    await fx.joinChannel(archived, alice.userId);
    await fx.archiveChannel(archived);
    t.node.bus.subscribe((event) => {
      if (isClientEvent(event)) events.push(event);
    });
  });
  afterAll(async () => {
    await fx?.close();
    await t?.stop();
  });
  beforeEach(() => {
    events.length = 0;
  });

  describe('create', () => {
    it('creates a post with the full Post shape, counts it into the channel and publishes posted', async () => {
      const createdBefore = (await t.node.metrics.postsCreated.get()).values[0]?.value ?? 0;
      const response = await alice.post('/posts', { channel_id: open, message: 'hello town', props: { from: 'test' } });
      expect(response.status).toBe(201);
      const post: Post = response.body;
      expect(Object.keys(post).sort()).toEqual(POST_KEYS);
      expect(post).toMatchObject({ channel_id: open, user_id: alice.userId, message: 'hello town', root_id: '', reply_count: 0, delete_at: 0, edit_at: 0, metadata: {}, props: { from: 'test' } });
      expect(post.id).toMatch(/^[a-z0-9]{26}$/);
      expect(typeof post.create_at).toBe('number');
      expect(post.update_at).toBe(post.create_at);
      const [channel] = await fx.query('SELECT last_post_at, last_root_post_at, total_msg_count FROM channels WHERE id = $1', [open]);
      expect(channel).toMatchObject({ last_post_at: String(post.create_at), last_root_post_at: String(post.create_at) });
      expect(Number(channel!.total_msg_count)).toBeGreaterThanOrEqual(1);
      expect((await t.node.metrics.postsCreated.get()).values[0]!.value).toBe(createdBefore + 1);
      await settle();
      expect(events).toHaveLength(1);
      const event = events[0]!;
      expect(event.kind).toBe('posted');
      expect(event.broadcast).toEqual({ omit_users: null, user_id: '', channel_id: open, team_id: '' });
      expect(event.data).toMatchObject({ channel_display_name: 'Channel town', channel_name: 'town', channel_type: 'O', sender_name: '@alice', team_id: teamId, set_online: true });
      expect(typeof event.data.post).toBe('string');
      expect(JSON.parse(event.data.post as string)).toEqual(post);
    });

    it('counts a root post into its channel once, however often it is retried with its pending_post_id', async () => {
      const counted = async () => Number((await fx.query<{ n: string }>('SELECT total_msg_count AS n FROM channels WHERE id = $1', [priv]))[0]!.n);
      const before = await counted();
      const first = await send(alice, priv, 'counted once', { pending_post_id: 'count-once-1' });
      const again = await alice.post('/posts', { channel_id: priv, message: 'counted once', pending_post_id: 'count-once-1' });
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.id);
      expect(await counted()).toBe(before + 1);
    });

    it('creates replies to an undeleted root of the same channel, counting replies on the thread', async () => {
      const root = await send(alice, open, 'root');
      const [before] = await fx.query('SELECT last_root_post_at, total_msg_count FROM channels WHERE id = $1', [open]);
      const reply = await send(bob, open, 'reply', { root_id: root.id });
      expect(reply).toMatchObject({ root_id: root.id, reply_count: 1 });
      const [after] = await fx.query('SELECT last_root_post_at, last_post_at, total_msg_count FROM channels WHERE id = $1', [open]);
      expect(after).toMatchObject({ last_root_post_at: before!.last_root_post_at, last_post_at: String(reply.create_at) });
      expect(Number(after!.total_msg_count)).toBe(Number(before!.total_msg_count) + 1);
      expect((await alice.get(`/posts/${root.id}`)).body.reply_count).toBe(1);

      const elsewhere = await send(alice, priv, 'other channel root');
      const deletedRoot = await send(alice, open, 'soon gone');
      await alice.delete(`/posts/${deletedRoot.id}`);
      const count = await postCount();
      for (const rootId of [newId(), reply.id, elsewhere.id, deletedRoot.id]) {
        const refused = await alice.post('/posts', { channel_id: open, message: 'orphan', root_id: rootId });
        expect(refused.status).toBe(400);
        expect(refused.body.id).toBe('model.post.is_valid.root_id.app_error');
      }
      expect((await alice.post('/posts', { channel_id: open, message: 'x', root_id: 'not-an-id' })).status).toBe(400);
      expect(await postCount()).toBe(count);
    });

    it('is idempotent per user and pending_post_id: a retry returns the first post, no second row or event', async () => {
      const pending = `${alice.userId}:${Date.now()}`;
      const first = await send(alice, open, 'once', { pending_post_id: pending });
      const count = await postCount();
      const retry = await alice.post('/posts', { channel_id: open, message: 'once', pending_post_id: pending });
      expect([200, 201]).toContain(retry.status);
      expect(retry.body).toEqual(first);
      expect(await postCount()).toBe(count);
      await settle();
      expect(events.filter((event) => event.kind === 'posted')).toHaveLength(1);

      const racing = `${bob.userId}:race`;
      const results = await Promise.all(Array.from({ length: 6 }, () => bob.post('/posts', { channel_id: open, message: 'race', pending_post_id: racing })));
      expect(new Set(results.map((result) => result.body.id)).size).toBe(1);
      expect((await fx.query('SELECT id FROM posts WHERE pending_post_id = $1', [racing])).length).toBe(1);
      const other = await send(bob, open, 'same key, other user', { pending_post_id: pending });
      expect(other.id).not.toBe(first.id);
    });

    it('accepts 16,383 characters (code points) and refuses 16,384 with nothing stored', async () => {
      expect(MAX_POST_MESSAGE_LENGTH).toBe(16_383);
      const longest = await send(alice, open, 'a'.repeat(16_383));
      expect((await alice.get(`/posts/${longest.id}`)).body.message).toHaveLength(16_383);
      await send(alice, open, '😀'.repeat(16_383)); // 32,766 UTF-16 units, 16,383 characters
      const count = await postCount();
      const tooLong = await alice.post('/posts', { channel_id: open, message: 'a'.repeat(16_384) });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body).toMatchObject({ id: 'model.post.is_valid.msg.app_error', status_code: 400 });
      expect((await alice.post('/posts', { channel_id: open, message: '😀'.repeat(16_384) })).status).toBe(400);
      expect((await alice.post('/posts', { channel_id: open, message: 'nul \u0000 inside' })).body.id).toBe('model.post.is_valid.msg.app_error');
      expect((await alice.post('/posts', { channel_id: open, message: 'ok', props: { k: 'nul \u0000' } })).status).toBe(400);
      expect(await postCount()).toBe(count);
    });

    it('stores and returns hostile text verbatim', async () => {
      const hostile = [`'; DROP TABLE posts; --`, '<script>alert("x")</script>', `Robert'); DELETE FROM users;--`, '$1 \\x00 %s {{x}} 🚀 \u202e', '   '];
      for (const message of hostile) {
        const post = await send(alice, open, message, { props: { html: '<img src=x onerror=alert(1)>' } });
        const fetched = await alice.get(`/posts/${post.id}`);
        expect(fetched.body.message).toBe(message);
        expect(fetched.body.props).toEqual({ html: '<img src=x onerror=alert(1)>' });
      }
      const listed = await alice.get(`/channels/${open}/posts?per_page=200`);
      const messages = Object.values(listed.body.posts as Record<string, Post>).map((post) => post.message);
      for (const message of hostile) expect(messages).toContain(message);
      expect(await postCount()).toBeGreaterThan(0);
    });

    it('posts in direct channels with an empty team id', async () => {
      const post = await send(bob, direct, 'psst');
      await settle();
      expect(events[0]).toMatchObject({ kind: 'posted', broadcast: { channel_id: direct }, data: { channel_type: 'D', team_id: '', sender_name: '@bob' } });
      expect(JSON.parse(events[0]!.data.post as string).id).toBe(post.id);
    });

    it('refuses without a session, outside the channel, in archived or unknown channels and with bad bodies', async () => {
      const count = await postCount();
      const anonymous = await t.anonymous().post('/posts', { channel_id: open, message: 'x' });
      expect(anonymous.status).toBe(401);
      for (const [client, channel] of [[carol, open], [dave, open], [carol, priv], [admin, priv]] as const) {
        const refused = await client.post('/posts', { channel_id: channel, message: 'intruder' });
        expect(refused.status).toBe(403);
        expect(refused.body.id).toBe('api.context.permissions.app_error');
      }
      const gone = await alice.post('/posts', { channel_id: archived, message: 'x' });
      expect(gone.status).toBe(403);
      expect(gone.body.id).toBe('api.post.create_post.channel_archived.app_error');
      expect((await alice.post('/posts', { channel_id: newId(), message: 'x' })).status).toBe(404);
      for (const body of [{ channel_id: 'nope', message: 'x' }, { channel_id: open }, { channel_id: open, message: 42 }, { channel_id: open, message: 'x', props: 'p' }, [1, 2]]) {
        const bad = await alice.post('/posts', body);
        expect(bad.status, JSON.stringify(body)).toBe(400);
        expect(bad.body.id).toBe('api.context.invalid_body_param.app_error');
      }
      expect((await alice.request('POST', '/posts', '{"channel_id":', { 'content-type': 'application/json' })).status).toBe(400);
      expect(await postCount()).toBe(count);
      await settle();
      expect(events).toHaveLength(0);
    });
  });

  describe('read, edit and delete', () => {
    it('lets channel readers get a post: members, team members for open channels, system admins', async () => {
      const inOpen = await send(alice, open, 'public');
      const inPrivate = await send(alice, priv, 'private');
      expect((await bob.get(`/posts/${inOpen.id}`)).body).toEqual(inOpen);
      expect((await carol.get(`/posts/${inOpen.id}`)).status).toBe(200);
      expect((await admin.get(`/posts/${inPrivate.id}`)).status).toBe(200);
      expect((await carol.get(`/posts/${inPrivate.id}`)).status).toBe(403);
      expect((await dave.get(`/posts/${inOpen.id}`)).status).toBe(403);
      expect((await t.anonymous().get(`/posts/${inOpen.id}`)).status).toBe(401);
      expect((await alice.get('/posts/not-an-id')).status).toBe(400);
      const unknown = await alice.get(`/posts/${newId()}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.id).toBe('app.post.get.app_error');
    });

    it('patches own posts: edit_at only when the message changes, props replaced, post_edited published', async () => {
      const post = await send(alice, open, 'first draft', { props: { a: 1 } });
      const pinned = await alice.put(`/posts/${post.id}/patch`, { is_pinned: true });
      expect(pinned.status).toBe(200);
      expect(pinned.body).toMatchObject({ is_pinned: true, edit_at: 0, message: 'first draft', props: { a: 1 } });
      const edited = await alice.put(`/posts/${post.id}/patch`, { message: 'second draft', props: { b: 2 } });
      expect(edited.body).toMatchObject({ message: 'second draft', props: { b: 2 }, is_pinned: true });
      expect(edited.body.edit_at).toBeGreaterThanOrEqual(post.create_at);
      expect(edited.body.update_at).toBe(edited.body.edit_at);
      await settle();
      const edits = events.filter((event) => event.kind === 'post_edited');
      expect(edits).toHaveLength(2);
      expect(edits[1]!.broadcast).toEqual({ omit_users: null, user_id: '', channel_id: open, team_id: '' });
      expect(JSON.parse(edits[1]!.data.post as string)).toEqual(edited.body);
      expect((await alice.put(`/posts/${post.id}/patch`, { message: 'a'.repeat(16_383) })).status).toBe(200);
      const tooLong = await alice.put(`/posts/${post.id}/patch`, { message: 'a'.repeat(16_384) });
      expect(tooLong.body.id).toBe('model.post.is_valid.msg.app_error');
      expect((await alice.get(`/posts/${post.id}`)).body.message).toHaveLength(16_383);
    });

    it('updates with PUT /posts/{id}: the body id must match, missing props are kept', async () => {
      const post = await send(alice, open, 'put me', { props: { keep: true } });
      const mismatch = await alice.put(`/posts/${post.id}`, { ...post, id: newId(), message: 'nope' });
      expect(mismatch.status).toBe(400);
      const updated = await alice.put(`/posts/${post.id}`, { id: post.id, message: 'put done', is_pinned: true });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id: post.id, message: 'put done', is_pinned: true, props: { keep: true } });
      expect(updated.body.edit_at).toBeGreaterThan(0);
      expect((await admin.put(`/posts/${post.id}`, { ...updated.body, message: 'admin fixed it' })).body.message).toBe('admin fixed it');
    });

    it('refuses edits by others, of deleted or unknown posts, in archived channels and with bad bodies', async () => {
      const post = await send(alice, open, 'mine');
      const inArchived = await send(alice, priv, 'will be archived');
      await fx.query('UPDATE posts SET channel_id = $1 WHERE id = $2', [archived, inArchived.id]);
      await settle();
      events.length = 0;
      expect((await bob.put(`/posts/${post.id}/patch`, { message: 'hijack' })).status).toBe(403);
      expect((await bob.put(`/posts/${post.id}`, { id: post.id, message: 'hijack' })).status).toBe(403);
      expect((await t.anonymous().put(`/posts/${post.id}/patch`, { message: 'x' })).status).toBe(401);
      expect((await alice.put(`/posts/${post.id}/patch`, { is_pinned: 'yes' })).status).toBe(400);
      expect((await alice.put(`/posts/${post.id}/patch`, [])).status).toBe(400);
      expect((await alice.put('/posts/bad/patch', { message: 'x' })).status).toBe(400);
      expect((await alice.put(`/posts/${newId()}/patch`, { message: 'x' })).status).toBe(404);
      const archivedEdit = await alice.put(`/posts/${inArchived.id}/patch`, { message: 'x' });
      expect(archivedEdit.body).toMatchObject({ id: 'api.post.update_post.can_not_update_post_in_deleted.error', status_code: 400 });
      expect((await alice.get(`/posts/${post.id}`)).body).toEqual(post);
      await alice.delete(`/posts/${post.id}`);
      events.length = 0;
      expect((await alice.put(`/posts/${post.id}/patch`, { message: 'revive' })).status).toBe(404);
      await settle();
      expect(events).toHaveLength(0);
    });

    it('soft-deletes own posts, a root with its replies, and publishes post_deleted without the text', async () => {
      const root = await send(alice, open, 'secret root', { props: { p: 1 } });
      const replies = [await send(bob, open, 'r1', { root_id: root.id }), await send(alice, open, 'r2', { root_id: root.id })];
      events.length = 0;
      expect((await bob.delete(`/posts/${root.id}`)).status).toBe(403);
      const deleted = await alice.delete(`/posts/${root.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ status: 'OK' });
      const rows = await fx.query<{ id: string; delete_at: string; update_at: string }>('SELECT id, delete_at, update_at FROM posts WHERE id = ANY($1)', [[root.id, ...replies.map((reply) => reply.id)]]);
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(Number(row.delete_at)).toBeGreaterThan(0);
      await settle();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'post_deleted', broadcast: { channel_id: open, user_id: '', team_id: '', omit_users: null }, data: { delete_by: alice.userId } });
      const payload = JSON.parse(events[0]!.data.post as string) as Post;
      expect(payload).toMatchObject({ id: root.id, message: '', props: {}, reply_count: 0 });
      expect(payload.delete_at).toBeGreaterThan(0);
      expect((await alice.get(`/posts/${root.id}`)).status).toBe(404);
      expect((await alice.get(`/posts/${replies[0]!.id}`)).status).toBe(404);
      expect((await alice.delete(`/posts/${root.id}`)).status).toBe(404);
      expect((await alice.delete('/posts/bad')).status).toBe(400);
      expect((await t.anonymous().delete(`/posts/${newId()}`)).status).toBe(401);
      const bobs = await send(bob, open, 'moderate me');
      expect((await admin.delete(`/posts/${bobs.id}`)).status).toBe(200);
    });

    it('deletes a reply alone and keeps the root counting only live replies', async () => {
      const root = await send(alice, open, 'thread root');
      const [keep, drop] = [await send(bob, open, 'keep', { root_id: root.id }), await send(bob, open, 'drop', { root_id: root.id })];
      expect((await bob.delete(`/posts/${drop.id}`)).status).toBe(200);
      expect((await alice.get(`/posts/${root.id}`)).body.reply_count).toBe(1);
      expect((await alice.get(`/posts/${keep.id}`)).body.reply_count).toBe(1);
    });
  });

  describe('threads and channel listings', () => {
    it('returns a thread (root and live replies, newest first) from the root or a reply id', async () => {
      const root = await send(alice, open, 'q');
      const a1 = await send(bob, open, 'a1', { root_id: root.id });
      const a2 = await send(alice, open, 'a2', { root_id: root.id });
      const gone = await send(bob, open, 'a3', { root_id: root.id });
      await bob.delete(`/posts/${gone.id}`);
      for (const id of [root.id, a1.id]) {
        const thread = await carol.get(`/posts/${id}/thread?skipFetchThreads=false&collapsedThreads=false&direction=down&perPage=60`);
        expect(thread.status).toBe(200);
        expect(thread.body.order).toEqual([a2.id, a1.id, root.id]);
        expect(Object.keys(thread.body.posts).sort()).toEqual([root.id, a1.id, a2.id].sort());
        expect(thread.body).toMatchObject({ next_post_id: '', prev_post_id: '', has_next: false });
        for (const post of Object.values(thread.body.posts as Record<string, Post>)) expect(post.reply_count).toBe(2);
      }
      expect((await dave.get(`/posts/${root.id}/thread`)).status).toBe(403);
      expect((await alice.get(`/posts/${gone.id}/thread`)).status).toBe(404);
      expect((await alice.get('/posts/bad/thread')).status).toBe(400);
    });

    it('pages a channel newest first, with posts sharing a millisecond each appearing exactly once', async () => {
      const channel = await fx.channel(teamId, 'O', 'paging');
      await fx.joinChannel(channel, alice.userId, bob.userId);
      const sameMs = frozenService(1_700_000_000_000);
      const created: Post[] = [];
      for (let i = 0; i < 7; i += 1) created.push(await sameMs.create(authOf(i % 2 ? bob : alice), { channel_id: channel, message: `same ${i}` }));
      created.push(await frozenService(1_700_000_000_001).create(authOf(alice), { channel_id: channel, message: 'later' }));
      created.push(await frozenService(1_699_999_999_999).create(authOf(bob), { channel_id: channel, message: 'earlier' }));
      const expected = [...created].sort((x, y) => y.create_at - x.create_at || (y.id < x.id ? -1 : 1)).map((post) => post.id);
      expect(expected[0]).toBe(created[7]!.id);
      const pages = [];
      for (let page = 0; page < 4; page += 1) pages.push((await alice.get(`/channels/${channel}/posts?page=${page}&per_page=3`)).body);
      expect(pages.flatMap((list) => list.order)).toEqual(expected);
      expect(pages[3].order).toEqual([]);
      expect(pages.map((list) => [list.next_post_id, list.prev_post_id, list.has_next])).toEqual([
        ['', expected[3], true],
        [expected[2], expected[6], true],
        [expected[5], '', false],
        ['', '', false],
      ]);
      const whole = (await bob.get(`/channels/${channel}/posts`)).body;
      expect(whole.order).toEqual(expected);
      expect(Object.keys(whole.posts).sort()).toEqual([...expected].sort());
      expect(whole.posts[expected[0]!]).toEqual(created[7]);

      const before = (await alice.get(`/channels/${channel}/posts?before=${expected[2]}&per_page=3`)).body;
      expect(before).toMatchObject({ order: expected.slice(3, 6), next_post_id: expected[2], prev_post_id: expected[6], has_next: true });
      const beforeLast = (await alice.get(`/channels/${channel}/posts?before=${expected[2]}&per_page=3&page=1`)).body;
      expect(beforeLast).toMatchObject({ order: expected.slice(6), next_post_id: expected[5], prev_post_id: '', has_next: false });
      const after = (await alice.get(`/channels/${channel}/posts?after=${expected[6]}&per_page=3`)).body;
      expect(after).toMatchObject({ order: expected.slice(3, 6), next_post_id: expected[2], prev_post_id: expected[6], has_next: true });
      const afterLast = (await alice.get(`/channels/${channel}/posts?after=${expected[6]}&per_page=3&page=1`)).body;
      expect(afterLast).toMatchObject({ order: expected.slice(0, 3), next_post_id: '', prev_post_id: expected[3], has_next: false });
      const unknownAnchor = await alice.get(`/channels/${channel}/posts?before=${newId()}`);
      expect(unknownAnchor.status).toBe(200);
      expect(unknownAnchor.body).toEqual({ order: [], posts: {}, next_post_id: '', prev_post_id: '', has_next: false });
    });

    it('returns every post changed since a time, edited and deleted ones included but blanked, and hides deleted posts elsewhere', async () => {
      const channel = await fx.channel(teamId, 'O', 'since');
      await fx.joinChannel(channel, alice.userId, bob.userId);
      const [untouched, edited, deleted, root] = [await send(alice, channel, 'untouched'), await send(alice, channel, 'edit me'), await send(bob, channel, 'delete me'), await send(alice, channel, 'root')];
      const since = Math.max(untouched.update_at, edited.update_at, deleted.update_at, root.update_at);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await alice.put(`/posts/${edited.id}/patch`, { message: 'edited' });
      await bob.delete(`/posts/${deleted.id}`);
      const fresh = await send(bob, channel, 'fresh', { root_id: root.id });
      const list = (await bob.get(`/channels/${channel}/posts?since=${since}&page=5&per_page=1`)).body;
      expect(list.order).toEqual([fresh.id, root.id, deleted.id, edited.id]);
      expect(list).toMatchObject({ next_post_id: '', prev_post_id: '', has_next: false });
      expect(list.posts[edited.id]).toMatchObject({ message: 'edited' });
      expect(list.posts[edited.id].edit_at).toBeGreaterThan(since);
      expect(list.posts[deleted.id]).toMatchObject({ message: '', props: {} });
      expect(list.posts[deleted.id].delete_at).toBeGreaterThan(since);
      expect(list.posts[root.id].reply_count).toBe(1);
      const current = (await bob.get(`/channels/${channel}/posts`)).body;
      expect(current.order).toEqual([fresh.id, root.id, edited.id, untouched.id]);
      const zero = (await bob.get(`/channels/${channel}/posts?since=0`)).body;
      expect(zero.order).toEqual(current.order);
      const [row] = await fx.query<{ message: string }>('SELECT message FROM posts WHERE id = $1', [deleted.id]);
      expect(row!.message).toBe('delete me'); // soft delete: the row keeps its text, the API never shows it
    });

    it('lets readers list and refuses others, unknown channels and malformed queries', async () => {
      await send(alice, priv, 'private listing');
      expect((await carol.get(`/channels/${open}/posts`)).status).toBe(200);
      expect((await admin.get(`/channels/${priv}/posts`)).status).toBe(200);
      expect((await carol.get(`/channels/${priv}/posts`)).body.id).toBe('api.context.permissions.app_error');
      expect((await dave.get(`/channels/${open}/posts`)).status).toBe(403);
      expect((await t.anonymous().get(`/channels/${open}/posts`)).status).toBe(401);
      expect((await alice.get(`/channels/${newId()}/posts`)).status).toBe(404);
      // Like Mattermost, a per_page above 200 is capped, not refused.
      const capped = await alice.get(`/channels/${open}/posts?per_page=5000`);
      expect(capped.status).toBe(200);
      for (const query of ['since=abc', 'since=-5', 'before=nope', 'after=x', 'page=-1', 'per_page=ten']) {
        const bad = await alice.get(`/channels/${open}/posts?${query}`);
        expect(bad.status, query).toBe(400);
        expect(bad.body.id).toBe('api.context.invalid_url_param.app_error');
      }
      expect((await alice.get('/channels/bad/posts')).status).toBe(400);
    });
  });
});
