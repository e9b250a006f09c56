import { Client4 } from '@mattermost/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api.js';
import { startTestNode, type TestNode } from './support/node.js';
import { connectAuthenticated, type WsClient } from './support/ws-client.js';

/**
 * Mattermost's "view channel" (`POST /channels/members/{user_id}/view`), which the web client
 * uses for unread counts: unread = channel.total_msg_count - member.msg_count, cleared by a view,
 * announced to the viewer's own sockets as `multiple_channels_viewed`.
 */
describe('channel view (unread counts)', () => {
  let t: TestNode;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let teamId: string;
  let channelId: string;
  let otherId: string;
  let aliceSocket: WsClient;

  async function unread(client: ApiClient, id: string): Promise<number> {
    const channel = (await client.get(`/channels/${id}`)).body;
    const member = (await client.get(`/channels/${id}/members/me`)).body;
    return channel.total_msg_count - member.msg_count;
  }

  beforeAll(async () => {
    t = await startTestNode();
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol');
    teamId = (await alice.post('/teams', { name: 'view-team', display_name: 'View', type: 'O' })).body.id;
    await bob.post(`/teams/${teamId}/members`, { team_id: teamId, user_id: bob.userId });
    channelId = (await alice.post('/channels', { team_id: teamId, name: 'reading', display_name: 'Reading', type: 'O' })).body.id;
    otherId = (await alice.post('/channels', { team_id: teamId, name: 'other', display_name: 'Other', type: 'O' })).body.id;
    await bob.post(`/channels/${channelId}/members`, { user_id: bob.userId });
    aliceSocket = await connectAuthenticated(t.url, alice.token);
  });

  afterAll(async () => {
    await aliceSocket?.close().catch(() => undefined);
    await t?.stop();
  });

  it('counts posts as unread until the member views the channel', async () => {
    for (let i = 0; i < 3; i += 1) expect((await bob.post('/posts', { channel_id: channelId, message: `hello ${i}` })).status).toBe(201);
    expect(await unread(alice, channelId)).toBe(3);
    const before = Date.now();
    const viewed = await alice.post('/channels/members/me/view', { channel_id: channelId, prev_channel_id: '' });
    expect(viewed.status).toBe(200);
    expect(viewed.body.status).toBe('OK');
    expect(viewed.body.last_viewed_at_times[channelId]).toBeGreaterThanOrEqual(before);
    expect(await unread(alice, channelId)).toBe(0);
    const member = (await alice.get(`/channels/${channelId}/members/me`)).body;
    expect(member.last_viewed_at).toBe(viewed.body.last_viewed_at_times[channelId]);
    expect(member.mention_count).toBe(0);
    await bob.post('/posts', { channel_id: channelId, message: 'one more' });
    expect(await unread(alice, channelId)).toBe(1);
  });

  it("tells the viewer's sockets with multiple_channels_viewed", async () => {
    const viewed = await alice.post(`/channels/members/${alice.userId}/view`, { channel_id: channelId, prev_channel_id: otherId });
    expect(Object.keys(viewed.body.last_viewed_at_times).sort()).toEqual([channelId, otherId].sort());
    const event = await aliceSocket.waitFor((frame) => frame.event === 'multiple_channels_viewed' && frame.data?.channel_times?.[otherId] !== undefined);
    expect(event.data.channel_times[channelId]).toBe(viewed.body.last_viewed_at_times[channelId]);
    expect(event.broadcast.user_id).toBe(alice.userId);
  });

  it('refuses viewing for someone else, a channel one is not in, and a malformed body', async () => {
    const forOther = await bob.post(`/channels/members/${alice.userId}/view`, { channel_id: channelId });
    expect(forOther.status).toBe(403);
    const notMember = await carol.post('/channels/members/me/view', { channel_id: otherId });
    expect(notMember.status).toBe(403);
    const malformed = await alice.post('/channels/members/me/view', { channel_id: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.id).toBe('api.context.invalid_body_param.app_error');
    expect((await t.anonymous().post('/channels/members/me/view', { channel_id: channelId })).status).toBe(401);
  });

  it("works through the official client's viewMyChannel", async () => {
    await bob.post('/posts', { channel_id: channelId, message: 'for the official client' });
    const client = new Client4();
    client.setUrl(t.url);
    client.setToken(alice.token);
    const result = (await client.viewMyChannel(channelId)) as unknown as { status: string; last_viewed_at_times: Record<string, number> };
    expect(result.status).toBe('OK');
    expect(result.last_viewed_at_times[channelId]).toBeGreaterThan(0);
    expect(await unread(alice, channelId)).toBe(0);
  });
});
