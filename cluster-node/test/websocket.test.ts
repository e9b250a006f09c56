import { broadcast, newId } from '@switchboard/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api.js';
import { startTestNode, type TestNode } from './support/node.js';
import { connectAuthenticated, connectWs } from './support/ws-client.js';

/** Puts users into a fresh open channel straight in SQL (the channel API has its own tests). */
async function channelWith(databaseUrl: string, userIds: string[]): Promise<string> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const teamId = newId();
    const channelId = newId();
    const now = Date.now();
    await db.query(`INSERT INTO teams (id, create_at, update_at, name, display_name, type, invite_id) VALUES ($1, $2, $2, $3, 'T', 'O', $1)`, [teamId, now, `t${teamId}`]);
    await db.query(`INSERT INTO channels (id, create_at, update_at, team_id, type, name, display_name) VALUES ($1, $2, $2, $3, 'O', 'c', 'C')`, [channelId, now, teamId]);
    for (const userId of userIds) {
      await db.query(`INSERT INTO team_members (team_id, user_id, create_at) VALUES ($1, $2, $3)`, [teamId, userId, now]);
      await db.query(`INSERT INTO channel_members (channel_id, user_id, last_update_at) VALUES ($1, $2, $3)`, [channelId, userId, now]);
    }
    return channelId;
  } finally {
    await db.end();
  }
}

describe('websocket', () => {
  let t: TestNode;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let channelId: string;

  beforeAll(async () => {
    t = await startTestNode({ wsSessionCheckMs: 200, wsAuthTimeoutMs: 1_500, allowedOrigins: ['https://chat.example.com'] });
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol');
    channelId = await channelWith(t.databaseUrl, [alice.userId, bob.userId]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('authenticates with authentication_challenge and says hello with seq 0', async () => {
    const ws = await connectWs(t.url);
    const reply = await ws.action('authentication_challenge', { token: alice.token });
    expect(reply).toMatchObject({ status: 'OK' });
    const hello = await ws.waitForEvent('hello');
    expect(hello.seq).toBe(0);
    expect(hello.data.connection_id).toMatch(/^[a-z0-9]{26}$/);
    expect(hello.data.server_hostname).toBe(t.node.nodeId);
    expect(hello.broadcast.user_id).toBe(alice.userId);
    const pong = await ws.action('ping');
    expect(pong.data).toMatchObject({ text: 'pong', node_id: t.node.nodeId });
    await ws.close();
  });

  it('handles frames in order: a ping sent right behind authentication_challenge is answered OK', async () => {
    const ws = await connectWs(t.url);
    ws.socket.send(JSON.stringify({ action: 'authentication_challenge', seq: 1, data: { token: alice.token } }));
    ws.socket.send(JSON.stringify({ action: 'ping', seq: 2 }));
    const pong = await ws.waitFor((f) => f.seq_reply === 2);
    expect(pong).toMatchObject({ status: 'OK', data: { text: 'pong' } });
    await ws.close();
  });

  it('authenticates with a token in the upgrade header', async () => {
    const ws = await connectWs(t.url, { token: bob.token });
    const hello = await ws.waitForEvent('hello');
    expect(hello.seq).toBe(0);
    await ws.close();
  });

  it('refuses actions before authentication, a bad token, and closes silent sockets', async () => {
    const ws = await connectWs(t.url);
    const refused = await ws.action('ping');
    expect(refused).toMatchObject({ status: 'FAIL', error: { id: 'websocket.not_authenticated' } });
    const bad = await ws.action('authentication_challenge', { token: 'x'.repeat(26) });
    expect(bad.status).toBe('FAIL');
    expect(await ws.closed()).toBe(1008);
    const silent = await connectWs(t.url);
    expect(await silent.closed(4_000)).toBe(1008);
  });

  it('answers malformed frames with an error and keeps the socket', async () => {
    const ws = await connectAuthenticated(t.url, alice.token);
    ws.socket.send('{not json');
    const error = await ws.waitFor((f) => f.status === 'FAIL' && f.seq_reply === 0);
    expect(error.error?.id).toBe('websocket.bad_action');
    const unknown = await ws.action('launch_rockets');
    expect(unknown.error?.id).toBe('websocket.bad_action');
    expect((await ws.action('ping')).status).toBe('OK');
    await ws.close();
  });

  it('checks Origin: foreign browsers refused, own origin, allowlisted and non-browsers pass', async () => {
    await expect(connectWs(t.url, { origin: 'https://evil.example.net' })).rejects.toMatchObject({ status: 403 });
    const own = await connectWs(t.url, { origin: t.url });
    const listed = await connectWs(t.url, { origin: 'https://chat.example.com' });
    const none = await connectWs(t.url);
    await Promise.all([own.close(), listed.close(), none.close()]);
  });

  it('caps frames at 64 KiB', async () => {
    const ws = await connectAuthenticated(t.url, alice.token);
    ws.socket.send(JSON.stringify({ action: 'ping', seq: 1, data: { pad: 'x'.repeat(70_000) } }));
    expect(await ws.closed()).toBe(1009);
  });

  it('delivers channel events only to members, in order, with continuous seq; typing skips its sender', async () => {
    const a = await connectAuthenticated(t.url, alice.token);
    const b = await connectAuthenticated(t.url, bob.token);
    const c = await connectAuthenticated(t.url, carol.token);
    for (let i = 0; i < 5; i += 1) {
      await t.node.bus.publish({ kind: 'posted', broadcast: broadcast({ channel_id: channelId }), data: { post: JSON.stringify({ id: `p${i}`, message: `m${i}` }) } });
    }
    await b.waitForEvent('posted', 5);
    const posted = b.events.filter((f) => f.event === 'posted');
    expect(posted.map((f) => JSON.parse(f.data.post).message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const seqs = b.events.map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const typing = await a.action('user_typing', { channel_id: channelId, parent_id: '' });
    expect(typing.status).toBe('OK');
    const seen = await b.waitForEvent('typing');
    expect(seen.data).toEqual({ parent_id: '', user_id: alice.userId });
    const carolTyping = await c.action('user_typing', { channel_id: channelId });
    expect(carolTyping.error?.id).toBe('api.context.permissions.app_error');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a.events.filter((f) => f.event === 'typing')).toHaveLength(0);
    expect(c.events.filter((f) => f.event === 'posted')).toHaveLength(0);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('marks a user online on the first socket and offline after the last, telling only that user', async () => {
    const dave = await t.user('dave');
    const watcher = await connectAuthenticated(t.url, alice.token);
    const first = await connectAuthenticated(t.url, dave.token);
    await first.waitFor((f) => f.event === 'status_change' && f.data.user_id === dave.userId && f.data.status === 'online');
    const second = await connectAuthenticated(t.url, dave.token);
    expect((await alice.get(`/users/${dave.userId}/status`)).body.status).toBe('online');
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await alice.get(`/users/${dave.userId}/status`)).body.status).toBe('online');
    await second.close();
    const statusOf = async () => (await alice.post('/users/status/ids', [dave.userId, alice.userId])).body.find((s: { user_id: string }) => s.user_id === dave.userId).status;
    for (let i = 0; i < 50 && (await statusOf()) !== 'offline'; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf()).toBe('offline');
    // Mattermost sends status_change to the user's own sockets only; others ask for statuses.
    expect(watcher.events.filter((f) => f.event === 'status_change' && f.data.user_id === dave.userId)).toEqual([]);
    const dnd = await dave.put(`/users/${dave.userId}/status`, { user_id: dave.userId, status: 'dnd' });
    expect(dnd.body).toMatchObject({ status: 'dnd', manual: true });
    const forbidden = await bob.put(`/users/${dave.userId}/status`, { user_id: dave.userId, status: 'away' });
    expect(forbidden.status).toBe(403);
    const invalid = await dave.put(`/users/${dave.userId}/status`, { user_id: dave.userId, status: 'sleeping' });
    expect(invalid.status).toBe(400);
    await watcher.close();
  });

  it('closes sockets of a logged-out session at once, and of a deleted session within the re-check', async () => {
    const erin = await t.user('erin');
    const ws = await connectAuthenticated(t.url, erin.token);
    await erin.post('/users/logout');
    expect(await ws.closed(2_000)).toBe(1008);
    const frank = await t.user('frank');
    const ws2 = await connectAuthenticated(t.url, frank.token);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query('DELETE FROM sessions WHERE user_id = $1', [frank.userId]);
    await db.end();
    expect(await ws2.closed(2_000)).toBe(1008);
  });

  it('resumes a reconnecting client with every missed event once, in order, and no new hello', async () => {
    const b = await connectAuthenticated(t.url, bob.token);
    const hello = await b.waitForEvent('hello');
    const publish = (message: string) => t.node.bus.publish({ kind: 'posted', broadcast: broadcast({ channel_id: channelId }), data: { post: JSON.stringify({ message }) } });
    await publish('before');
    await b.waitForEvent('posted');
    const nextSeq = b.events.at(-1)!.seq! + 1;
    await b.close();
    await publish('missed-1');
    await publish('missed-2');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const resumed = await connectAuthenticated(t.url, bob.token, { connectionId: hello.data.connection_id, sequence: nextSeq });
    await resumed.waitForEvent('posted', 2);
    await publish('after');
    await resumed.waitForEvent('posted', 3);
    // Bob's own status changes (offline, then online) are events of the stream too.
    expect(resumed.events.some((f) => f.event === 'hello')).toBe(false);
    const posted = resumed.events.filter((f) => f.event === 'posted');
    expect(posted.map((f) => JSON.parse(f.data.post).message)).toEqual(['missed-1', 'missed-2', 'after']);
    expect(resumed.events.map((f) => f.seq)).toEqual(resumed.events.map((_, i) => nextSeq + i));
    await resumed.close();
    const stranger = await connectAuthenticated(t.url, bob.token, { connectionId: newId(), sequence: 5 });
    const fresh = await stranger.waitForEvent('hello');
    expect(fresh.seq).toBe(0);
    expect(fresh.data.connection_id).not.toBe(hello.data.connection_id);
    await stranger.close();
  });
});

describe('websocket rate limit', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode({ wsActionsPerSecond: 5 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses actions past the per-connection limit and keeps serving', async () => {
    const user = await t.user('gina');
    const ws = await connectAuthenticated(t.url, user.token);
    const replies = await Promise.all(Array.from({ length: 10 }, () => ws.action('ping')));
    const limited = replies.filter((r) => r.error?.id === 'websocket.rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await ws.action('ping')).status).toBe('OK');
    await ws.close();
  });
});
