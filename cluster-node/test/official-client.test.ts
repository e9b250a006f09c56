import { Client4 } from '@mattermost/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/database.js';
import { connectOfficial, type OfficialSocket } from './support/official-client.js';
import { freePort, spawnNode, type NodeProcess } from './support/process.js';

describe('the official @mattermost/client against `switchboard-node` on an empty database', () => {
  let node: NodeProcess;
  let dropDatabase: () => Promise<void>;
  const sockets: OfficialSocket[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const port = await freePort();
    node = await spawnNode({ SB_DATABASE_URL: database.url, SB_LISTEN: `127.0.0.1:${port}`, SB_NODE_ID: 'official-client-1', SB_LOG_LEVEL: 'warn', SB_DRAIN_MS: '200' });
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.close();
    const code = await node?.stop();
    expect(code).toBe(0);
    await dropDatabase?.();
  });

  it('signs up, logs in, builds a team and channel, chats live, pages, edits and deletes', async () => {
    const alice = new Client4();
    alice.setUrl(node.url);
    const bob = new Client4();
    bob.setUrl(node.url);

    const aliceUser = await alice.createUser({ username: 'alice', email: 'alice@example.com', password: 'alice-password-1' } as never, '', '');
    expect(aliceUser.roles).toContain('system_admin');
    const bobUser = await bob.createUser({ username: 'bob', email: 'bob@example.com', password: 'bob-password-1' } as never, '', '');
    await alice.login('alice', 'alice-password-1');
    await bob.login('bob@example.com', 'bob-password-1');
    expect(alice.getToken()).toMatch(/^[a-z0-9]{26}$/);
    expect((await bob.getMe()).id).toBe(bobUser.id);

    const team = await alice.createTeam({ name: 'core', display_name: 'Core', type: 'O' } as never);
    await alice.addToTeam(team.id, bobUser.id);
    expect((await bob.getMyTeams()).map((t) => t.id)).toContain(team.id);
    const channel = await alice.createChannel({ team_id: team.id, name: 'ops', display_name: 'Ops', type: 'O' } as never);
    await alice.addToChannel(bobUser.id, channel.id);
    const members = await alice.getChannelMembers(channel.id);
    expect(members.map((m) => m.user_id).sort()).toEqual([aliceUser.id, bobUser.id].sort());
    expect((await bob.getMyChannels(team.id)).map((c) => c.id)).toContain(channel.id);

    const bobEvents = connectOfficial(node.url, bob.getToken());
    const aliceEvents = connectOfficial(node.url, alice.getToken());
    sockets.push(bobEvents, aliceEvents);
    const hello = await bobEvents.next('hello');
    expect(hello.data.server_hostname).toBe('official-client-1');
    await aliceEvents.next('hello');

    const before = Date.now() - 1;
    const post = await alice.createPost({ channel_id: channel.id, message: 'hello from alice' } as never);
    const posted = await bobEvents.next('posted');
    expect(JSON.parse(posted.data.post as string)).toMatchObject({ id: post.id, message: 'hello from alice', user_id: aliceUser.id });
    const reply = await bob.createPost({ channel_id: channel.id, message: "'; DROP TABLE posts; --", root_id: post.id } as never);
    expect(reply.message).toBe("'; DROP TABLE posts; --");

    const page = await bob.getPosts(channel.id, 0, 60);
    expect(page.order).toEqual([reply.id, post.id]);
    const since = await bob.getPostsSince(channel.id, before);
    expect(Object.keys(since.posts).sort()).toEqual([post.id, reply.id].sort());
    const olderThanReply = await bob.getPostsBefore(channel.id, reply.id, 0, 10);
    expect(olderThanReply.order).toEqual([post.id]);
    const thread = await bob.getPostThread(post.id);
    expect(Object.keys(thread.posts).sort()).toEqual([post.id, reply.id].sort());

    aliceEvents.client.userTyping(channel.id, '');
    const typing = await bobEvents.next('typing');
    expect(typing.data.user_id).toBe(aliceUser.id);

    const edited = await alice.patchPost({ id: post.id, message: 'hello, edited' } as never);
    expect(edited.edit_at).toBeGreaterThan(0);
    const editEvent = await bobEvents.next('post_edited');
    expect(JSON.parse(editEvent.data.post as string).message).toBe('hello, edited');

    await alice.deletePost(reply.id);
    const deleteEvent = await aliceEvents.next('post_deleted');
    expect(JSON.parse(deleteEvent.data.post as string).id).toBe(reply.id);
    const afterDelete = await bob.getPostsSince(channel.id, before);
    expect(afterDelete.posts[reply.id]!.delete_at).toBeGreaterThan(0);
    expect((await bob.getPosts(channel.id)).order).toEqual([post.id]);

    const statuses = await alice.getStatusesByIds([aliceUser.id, bobUser.id]);
    expect(statuses.map((s) => s.status)).toEqual(['online', 'online']);
    const ping = await alice.ping(true);
    expect(ping).toMatchObject({ status: 'OK', database_status: 'OK' });

    await bob.logout();
    await expect(bob.getMe()).rejects.toMatchObject({ status_code: 401 });
  });
});
