import type { ClusterEvent } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../src/app/context.js';
import type { ApiClient, ApiResponse } from './support/api.js';
import { startTestNode, type TestNode } from './support/node.js';

const CHANNEL_KEYS = [
  'create_at', 'creator_id', 'delete_at', 'display_name', 'group_constrained', 'header', 'id', 'last_post_at', 'last_root_post_at',
  'name', 'purpose', 'scheme_id', 'shared', 'team_id', 'total_msg_count', 'type', 'update_at',
];
const MEMBER_KEYS = [
  'channel_id', 'last_update_at', 'last_viewed_at', 'mention_count', 'msg_count', 'notify_props', 'roles', 'scheme_admin',
  'scheme_guest', 'scheme_user', 'user_id',
];
const UNKNOWN_ID = 'ybndrfg8ejkmcpqxot1uwisza3';
const MEMBERSHIP_KINDS = ['channel_created', 'user_added', 'user_removed', 'direct_added', 'added_to_team'];

/** Runs `work` and returns the membership events the bus carried meanwhile. */
async function eventsDuring(t: TestNode, work: () => Promise<unknown>): Promise<ClusterEvent[]> {
  const events: ClusterEvent[] = [];
  const stop = t.node.bus.subscribe((event) => events.push(event));
  try {
    await work();
    // The local bus delivers on a microtask; let any straggler land before counting.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    stop();
  }
  return events.filter((event) => MEMBERSHIP_KINDS.includes(event.kind));
}

function names(response: ApiResponse): string[] {
  return (response.body as Array<{ name: string }>).map((c) => c.name).sort();
}

describe('channels API', () => {
  let t: TestNode;
  let admin: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let dave: ApiClient;
  let teamId: string;
  let open: { id: string; name: string };
  let secret: { id: string; name: string };
  let townSquareId: string;

  beforeAll(async () => {
    t = await startTestNode();
    admin = await t.user('admin'); // the first user is the system admin
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol'); // never joins the team
    dave = await t.user('dave');
    const team = await alice.post('/teams', { name: 'chan-team', display_name: 'Channel Team', type: 'O' });
    teamId = team.body.id;
    for (const user of [bob, dave]) await user.post(`/teams/${teamId}/members`, { team_id: teamId, user_id: user.userId });
    townSquareId = (await alice.get(`/teams/${teamId}/channels/name/town-square`)).body.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates open and private channels: 201, shape, creator is channel admin, channel_created to the creator', async () => {
    let created!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      created = await alice.post('/channels', { team_id: teamId, name: 'general-talk', display_name: 'General Talk', type: 'O', purpose: 'talk' });
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(CHANNEL_KEYS);
    expect(created.body).toMatchObject({ team_id: teamId, name: 'general-talk', display_name: 'General Talk', type: 'O', purpose: 'talk', header: '', creator_id: alice.userId, total_msg_count: 0, delete_at: 0 });
    expect(typeof created.body.create_at).toBe('number');
    open = created.body;
    expect(events).toEqual([{ kind: 'channel_created', broadcast: { omit_users: null, user_id: alice.userId, channel_id: '', team_id: '' }, data: { channel_id: open.id, team_id: teamId } }]);

    const member = await alice.get(`/channels/${open.id}/members/me`);
    expect(member.status).toBe(200);
    expect(Object.keys(member.body).sort()).toEqual(MEMBER_KEYS);
    expect(member.body).toMatchObject({ channel_id: open.id, user_id: alice.userId, roles: 'channel_user channel_admin', scheme_user: true, scheme_admin: true, msg_count: 0, mention_count: 0 });
    expect(member.body.notify_props).toMatchObject({ desktop: 'default', mark_unread: 'all' });

    const privateChannel = await alice.post('/channels', { team_id: teamId, name: 'secret', display_name: 'Secret', type: 'P' });
    expect(privateChannel.status).toBe(201);
    expect(privateChannel.body.type).toBe('P');
    secret = privateChannel.body;
  });

  it('refuses bad channel creation with Mattermost errors and creates nothing', async () => {
    const before = names(await alice.get(`/users/me/teams/${teamId}/channels`));
    const events = await eventsDuring(t, async () => {
      const cases: Array<[unknown, number, string]> = [
        [{ team_id: teamId, name: 'Bad Name', display_name: 'X', type: 'O' }, 400, 'model.channel.is_valid.name.app_error'],
        [{ team_id: teamId, name: '', display_name: 'X', type: 'O' }, 400, 'model.channel.is_valid.name.app_error'],
        [{ team_id: teamId, name: 'x'.repeat(65), display_name: 'X', type: 'O' }, 400, 'model.channel.is_valid.name.app_error'],
        [{ team_id: teamId, name: 'fine', display_name: '', type: 'O' }, 400, 'model.channel.is_valid.display_name.app_error'],
        [{ team_id: teamId, name: 'fine', display_name: 'X'.repeat(65), type: 'O' }, 400, 'model.channel.is_valid.display_name.app_error'],
        [{ team_id: teamId, name: 'fine', display_name: 'X', type: 'D' }, 400, 'model.channel.is_valid.type.app_error'],
        [{ team_id: teamId, name: 'fine', display_name: 'X', type: 'O', header: 'h'.repeat(1025) }, 400, 'api.context.invalid_body_param.app_error'],
        [{ team_id: 'not-an-id', name: 'fine', display_name: 'X', type: 'O' }, 400, 'api.context.invalid_body_param.app_error'],
        [{ team_id: teamId, name: 'general-talk', display_name: 'Again', type: 'P' }, 400, 'store.sql_channel.save_channel.exists.app_error'],
        [{ team_id: UNKNOWN_ID, name: 'fine', display_name: 'X', type: 'O' }, 404, 'app.team.get.find.app_error'],
      ];
      for (const [body, status, id] of cases) {
        const response = await alice.post('/channels', body);
        expect({ body, status: response.status, id: response.body.id }).toEqual({ body, status, id });
      }
      const outsider = await carol.post('/channels', { team_id: teamId, name: 'carols', display_name: 'Carol', type: 'O' });
      expect(outsider.status).toBe(403);
      expect(outsider.body.id).toBe('api.context.permissions.app_error');
      expect((await t.anonymous().post('/channels', { team_id: teamId, name: 'anon', display_name: 'Anon', type: 'O' })).status).toBe(401);
    });
    expect(events).toEqual([]);
    expect(names(await alice.get(`/users/me/teams/${teamId}/channels`))).toEqual(before);
    expect((await admin.get(`/teams/${teamId}/channels/name/carols`)).status).toBe(404);
  });

  it('reads a channel for members, team members of open channels and system admins; 403 otherwise', async () => {
    expect((await bob.get(`/channels/${open.id}`)).body).toMatchObject({ id: open.id, name: 'general-talk' });
    expect((await admin.get(`/channels/${secret.id}`)).status).toBe(200);
    expect((await alice.get(`/channels/${secret.id}`)).status).toBe(200);
    const privateToOther = await bob.get(`/channels/${secret.id}`);
    expect(privateToOther.status).toBe(403);
    expect(privateToOther.body.id).toBe('api.context.permissions.app_error');
    expect((await carol.get(`/channels/${open.id}`)).status).toBe(403);
    const unknown = await bob.get(`/channels/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.id).toBe('app.channel.get.existing.app_error');
    expect((await bob.get('/channels/not-an-id')).status).toBe(400);
    expect((await t.anonymous().get(`/channels/${open.id}`)).status).toBe(401);
  });

  it("lists a team's open channels to its members, paged", async () => {
    const list = await bob.get(`/teams/${teamId}/channels`);
    expect(list.status).toBe(200);
    expect(names(list)).toEqual(['general-talk', 'off-topic', 'town-square']);
    const page0 = await bob.get(`/teams/${teamId}/channels?page=0&per_page=2`);
    const page1 = await bob.get(`/teams/${teamId}/channels?page=1&per_page=2`);
    expect(page0.body).toHaveLength(2);
    expect(page1.body).toHaveLength(1);
    expect([...names(page0), ...names(page1)].sort()).toEqual(names(list));
    expect((await admin.get(`/teams/${teamId}/channels`)).body).toHaveLength(3);
    expect((await carol.get(`/teams/${teamId}/channels`)).status).toBe(403);
    expect((await bob.get(`/teams/${UNKNOWN_ID}/channels`)).status).toBe(404);
    expect((await bob.get(`/teams/${teamId}/channels?page=-1`)).status).toBe(400);
  });

  it('finds channels by team and name, hiding private ones from non-members as Mattermost does', async () => {
    expect((await bob.get(`/teams/${teamId}/channels/name/general-talk`)).body.id).toBe(open.id);
    expect((await alice.get(`/teams/${teamId}/channels/name/secret`)).body.id).toBe(secret.id);
    const hidden = await bob.get(`/teams/${teamId}/channels/name/secret`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.id).toBe('app.channel.get.existing.app_error');
    expect((await carol.get(`/teams/${teamId}/channels/name/general-talk`)).status).toBe(403);
    expect((await bob.get(`/teams/${teamId}/channels/name/no-such`)).status).toBe(404);
    expect((await bob.get(`/teams/${UNKNOWN_ID}/channels/name/general-talk`)).status).toBe(404);
    expect((await bob.get(`/teams/${teamId}/channels/name/Bad%20Name`)).status).toBe(400);
  });

  it('adds members: announced with user_added after the row exists; idempotent; user_ids returns an array', async () => {
    const seen: Array<Promise<number>> = [];
    const stop = t.node.bus.subscribe((event) => {
      if (event.kind === 'user_added') {
        seen.push(t.node.db.query('SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2', [event.broadcast.channel_id, event.data.user_id]).then((r) => r.rowCount ?? 0));
      }
    });
    let added!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      added = await alice.post(`/channels/${secret.id}/members`, { user_id: bob.userId, channel_id: secret.id, post_root_id: '' });
    });
    stop();
    expect(added.status).toBe(201);
    expect(Object.keys(added.body).sort()).toEqual(MEMBER_KEYS);
    expect(added.body).toMatchObject({ channel_id: secret.id, user_id: bob.userId, roles: 'channel_user', scheme_admin: false });
    expect(events).toEqual([{ kind: 'user_added', broadcast: { omit_users: null, user_id: '', channel_id: secret.id, team_id: '' }, data: { user_id: bob.userId, team_id: teamId } }]);
    expect(await Promise.all(seen)).toEqual([1]);
    expect((await bob.get(`/channels/${secret.id}`)).status).toBe(200);

    let again!: ApiResponse;
    const quiet = await eventsDuring(t, async () => {
      again = await alice.post(`/channels/${secret.id}/members`, { user_id: bob.userId });
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(added.body);
    expect(quiet).toEqual([]);

    let many!: ApiResponse;
    const manyEvents = await eventsDuring(t, async () => {
      many = await bob.post(`/channels/${secret.id}/members`, { user_ids: [dave.userId, bob.userId] });
    });
    expect(many.status).toBe(201);
    expect(many.body.map((m: { user_id: string }) => m.user_id)).toEqual([dave.userId, bob.userId]);
    expect(manyEvents.map((e) => e.data.user_id)).toEqual([dave.userId]);
  });

  it('lets team members join open channels themselves or add others', async () => {
    const self = await bob.post(`/channels/${open.id}/members`, { user_id: bob.userId });
    expect(self.status).toBe(201);
    expect(self.body.user_id).toBe(bob.userId);
    const other = await bob.post(`/channels/${open.id}/members`, { user_id: dave.userId });
    expect(other.status).toBe(201);
    const members = await bob.get(`/channels/${open.id}/members`);
    expect(members.body.map((m: { user_id: string }) => m.user_id).sort()).toEqual([alice.userId, bob.userId, dave.userId].sort());
  });

  it('refuses member additions without permission or with bad targets, adding nobody', async () => {
    const fresh = (await alice.post('/channels', { team_id: teamId, name: 'locked', display_name: 'Locked', type: 'P' })).body;
    const dm = (await alice.post('/channels/direct', [alice.userId, bob.userId])).body;
    const events = await eventsDuring(t, async () => {
      const notMember = await bob.post(`/channels/${fresh.id}/members`, { user_id: bob.userId });
      expect(notMember.status).toBe(403);
      expect(notMember.body.id).toBe('api.context.permissions.app_error');
      const outsiderSelf = await carol.post(`/channels/${open.id}/members`, { user_id: carol.userId });
      expect(outsiderSelf.status).toBe(403);
      const notInTeam = await alice.post(`/channels/${fresh.id}/members`, { user_ids: [bob.userId, carol.userId] });
      expect(notInTeam.status).toBe(403);
      expect(notInTeam.body.id).toBe('api.channel.add_user.to.channel.failed.deleted.app_error');
      const unknownUser = await alice.post(`/channels/${fresh.id}/members`, { user_ids: [bob.userId, UNKNOWN_ID] });
      expect(unknownUser.status).toBe(404);
      expect(unknownUser.body.id).toBe('app.user.missing_account.const');
      const direct = await alice.post(`/channels/${dm.id}/members`, { user_id: dave.userId });
      expect(direct.status).toBe(400);
      expect(direct.body.id).toBe('api.channel.add_user_to_channel.type.app_error');
      expect((await alice.post(`/channels/${UNKNOWN_ID}/members`, { user_id: bob.userId })).status).toBe(404);
      expect((await alice.post(`/channels/${fresh.id}/members`, { user_id: 'nope' })).status).toBe(400);
      expect((await alice.post(`/channels/${fresh.id}/members`, { user_ids: [] })).status).toBe(400);
      expect((await alice.post(`/channels/${fresh.id}/members`, {})).status).toBe(400);
      expect((await t.anonymous().post(`/channels/${fresh.id}/members`, { user_id: bob.userId })).status).toBe(401);
    });
    expect(events).toEqual([]);
    expect((await alice.get(`/channels/${fresh.id}/members`)).body.map((m: { user_id: string }) => m.user_id)).toEqual([alice.userId]);
    expect((await admin.post(`/channels/${fresh.id}/members`, { user_id: dave.userId })).status).toBe(201);
  });

  it('lists and reads channel members for those who may read the channel', async () => {
    const members = await alice.get(`/channels/${secret.id}/members`);
    expect(members.status).toBe(200);
    expect(members.body).toHaveLength(3);
    const page = await alice.get(`/channels/${secret.id}/members?page=1&per_page=2`);
    expect(page.body).toHaveLength(1);
    expect((await bob.get(`/channels/${townSquareId}/members`)).body.length).toBe(3);
    expect((await carol.get(`/channels/${open.id}/members`)).status).toBe(403);
    expect((await carol.get(`/channels/${secret.id}/members/${alice.userId}`)).status).toBe(403);
    expect((await bob.get(`/channels/${secret.id}/members/${alice.userId}`)).body.roles).toBe('channel_user channel_admin');
    const missing = await alice.get(`/channels/${open.id}/members/${carol.userId}`);
    expect(missing.status).toBe(404);
    expect(missing.body.id).toBe('app.channel.get_member.missing.app_error');
    expect((await alice.get(`/channels/${UNKNOWN_ID}/members`)).status).toBe(404);
    expect((await alice.get(`/channels/${open.id}/members/bad`)).status).toBe(400);
  });

  it('removes members: self-leave or by an admin, announced to the channel and to the removed user', async () => {
    let left!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      left = await dave.delete(`/channels/${open.id}/members/me`);
    });
    expect(left.status).toBe(200);
    expect(left.body).toEqual({ status: 'OK' });
    expect(events).toEqual([
      { kind: 'user_removed', broadcast: { omit_users: null, user_id: '', channel_id: open.id, team_id: '' }, data: { user_id: dave.userId, remover_id: dave.userId } },
      { kind: 'user_removed', broadcast: { omit_users: null, user_id: dave.userId, channel_id: '', team_id: '' }, data: { channel_id: open.id, remover_id: dave.userId } },
    ]);
    expect((await alice.get(`/channels/${open.id}/members/${dave.userId}`)).status).toBe(404);

    const byAdmin = await eventsDuring(t, async () => {
      expect((await alice.delete(`/channels/${secret.id}/members/${dave.userId}`)).status).toBe(200);
    });
    expect(byAdmin.map((e) => e.data)).toEqual([{ user_id: dave.userId, remover_id: alice.userId }, { channel_id: secret.id, remover_id: alice.userId }]);
    expect((await admin.delete(`/channels/${open.id}/members/${bob.userId}`)).status).toBe(200);
    expect((await bob.post(`/channels/${open.id}/members`, { user_id: bob.userId })).status).toBe(201);
  });

  it('refuses removals without permission, from town-square or direct channels, and of non-members', async () => {
    const dm = (await alice.post('/channels/direct', [alice.userId, bob.userId])).body;
    const events = await eventsDuring(t, async () => {
      const byPlainMember = await bob.delete(`/channels/${open.id}/members/${alice.userId}`);
      expect(byPlainMember.status).toBe(403);
      expect(byPlainMember.body.id).toBe('api.context.permissions.app_error');
      const townSquare = await bob.delete(`/channels/${townSquareId}/members/me`);
      expect(townSquare.status).toBe(400);
      expect(townSquare.body.id).toBe('api.channel.remove.default.app_error');
      const direct = await alice.delete(`/channels/${dm.id}/members/me`);
      expect(direct.status).toBe(400);
      expect(direct.body.id).toBe('api.channel.remove_user_from_channel.app_error');
      const notMember = await carol.delete(`/channels/${open.id}/members/me`);
      expect(notMember.status).toBe(404);
      expect(notMember.body.id).toBe('app.channel.get_member.missing.app_error');
      expect((await alice.delete(`/channels/${UNKNOWN_ID}/members/me`)).status).toBe(404);
      expect((await alice.delete(`/channels/${open.id}/members/bad`)).status).toBe(400);
      expect((await t.anonymous().delete(`/channels/${open.id}/members/${bob.userId}`)).status).toBe(401);
    });
    expect(events).toEqual([]);
    expect((await alice.get(`/channels/${open.id}/members/${alice.userId}`)).status).toBe(200);
    expect((await bob.get(`/channels/${townSquareId}/members/me`)).status).toBe(200);
  });

  it('creates direct channels once, announcing direct_added to each member', async () => {
    let created!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      created = await carol.post('/channels/direct', [carol.userId, dave.userId]);
    });
    expect(created.status).toBe(201);
    const [low, high] = [carol.userId, dave.userId].sort();
    expect(created.body).toMatchObject({ type: 'D', team_id: '', name: `${low}__${high}`, display_name: '' });
    expect(Object.keys(created.body).sort()).toEqual(CHANNEL_KEYS);
    const dmId: string = created.body.id;
    expect(events.map((e) => [e.kind, e.broadcast.user_id, e.broadcast.channel_id, (e.data as Record<string, unknown>).teammate_id]).sort()).toEqual(
      [['direct_added', carol.userId, dmId, dave.userId], ['direct_added', dave.userId, dmId, carol.userId]].sort(),
    );
    expect((await dave.get(`/channels/${dmId}/members`)).body.map((m: { user_id: string }) => m.user_id).sort()).toEqual([carol.userId, dave.userId].sort());

    const quiet = await eventsDuring(t, async () => {
      const reversed = await dave.post('/channels/direct', [dave.userId, carol.userId]);
      expect(reversed.status).toBe(201);
      expect(reversed.body.id).toBe(dmId);
    });
    expect(quiet).toEqual([]);
    expect((await bob.get(`/channels/${dmId}`)).status).toBe(403);
    expect((await admin.get(`/channels/${dmId}`)).status).toBe(200);

    const self = await bob.post('/channels/direct', [bob.userId, bob.userId]);
    expect(self.status).toBe(201);
    expect(self.body.name).toBe(`${bob.userId}__${bob.userId}`);
    expect((await bob.get(`/channels/${self.body.id}/members`)).body).toHaveLength(1);
    const byAdmin = await admin.post('/channels/direct', [alice.userId, dave.userId]);
    expect(byAdmin.status).toBe(201);
    expect((await alice.get(`/channels/${byAdmin.body.id}/members/me`)).status).toBe(200);
  });

  it('refuses direct channels for others, unknown users and bad bodies', async () => {
    const before = (await admin.get(`/users/${bob.userId}/channels`)).body.length;
    const events = await eventsDuring(t, async () => {
      const forOthers = await bob.post('/channels/direct', [alice.userId, carol.userId]);
      expect(forOthers.status).toBe(403);
      expect(forOthers.body.id).toBe('api.context.permissions.app_error');
      const unknown = await bob.post('/channels/direct', [bob.userId, UNKNOWN_ID]);
      expect(unknown.status).toBe(400);
      expect(unknown.body.id).toBe('api.channel.create_direct_channel.invalid_user.app_error');
      expect((await bob.post('/channels/direct', [bob.userId])).status).toBe(400);
      expect((await bob.post('/channels/direct', [bob.userId, alice.userId, carol.userId])).status).toBe(400);
      expect((await bob.post('/channels/direct', { user_ids: [bob.userId, alice.userId] })).status).toBe(400);
      expect((await t.anonymous().post('/channels/direct', [bob.userId, alice.userId])).status).toBe(401);
    });
    expect(events).toEqual([]);
    expect((await admin.get(`/users/${bob.userId}/channels`)).body.length).toBe(before);
  });

  it("serves a user's channels and memberships to themself and system admins", async () => {
    const inTeam = await bob.get(`/users/me/teams/${teamId}/channels`);
    expect(inTeam.status).toBe(200);
    const types = (inTeam.body as Array<{ name: string; type: string }>).map((c) => `${c.type}:${c.type === 'D' ? 'dm' : c.name}`).sort();
    expect(types).toEqual(['D:dm', 'D:dm', 'O:general-talk', 'O:off-topic', 'O:town-square', 'P:secret']);
    const members = await bob.get(`/users/${bob.userId}/teams/${teamId}/channels/members`);
    expect(members.body.map((m: { channel_id: string }) => m.channel_id).sort()).toEqual(inTeam.body.map((c: { id: string }) => c.id).sort());
    expect(members.body.every((m: { user_id: string }) => m.user_id === bob.userId)).toBe(true);
    const everywhere = await bob.get('/users/me/channels');
    expect(everywhere.body).toHaveLength(6);

    const carols = await carol.get('/users/me/channels');
    expect(carols.body.map((c: { type: string }) => c.type)).toEqual(['D']);
    expect((await carol.get(`/users/me/teams/${teamId}/channels`)).status).toBe(403);
    expect((await bob.get(`/users/${alice.userId}/channels`)).status).toBe(403);
    expect((await bob.get(`/users/${alice.userId}/teams/${teamId}/channels`)).status).toBe(403);
    expect((await bob.get(`/users/${alice.userId}/teams/${teamId}/channels/members`)).status).toBe(403);
    expect((await admin.get(`/users/${bob.userId}/teams/${teamId}/channels`)).body).toHaveLength(6);
    expect((await admin.get(`/users/${UNKNOWN_ID}/channels`)).status).toBe(404);
    expect((await bob.get(`/users/me/teams/${UNKNOWN_ID}/channels`)).status).toBe(404);
    expect((await bob.get('/users/me/teams/bad/channels')).status).toBe(400);
    expect((await t.anonymous().get('/users/me/channels')).status).toBe(401);
  });

  it('leaves archived channels out of lists and name lookups unless include_deleted=true', async () => {
    const old = (await alice.post('/channels', { team_id: teamId, name: 'old-news', display_name: 'Old News', type: 'O' })).body;
    await t.node.db.query('UPDATE channels SET delete_at = $1 WHERE id = $2', [Date.now(), old.id]);
    expect(names(await alice.get(`/users/me/teams/${teamId}/channels`))).not.toContain('old-news');
    expect(names(await alice.get(`/users/me/teams/${teamId}/channels?include_deleted=true`))).toContain('old-news');
    expect(names(await alice.get('/users/me/channels'))).not.toContain('old-news');
    expect(names(await alice.get('/users/me/channels?include_deleted=true'))).toContain('old-news');
    expect(names(await alice.get(`/teams/${teamId}/channels`))).not.toContain('old-news');
    expect((await alice.get(`/teams/${teamId}/channels/name/old-news`)).status).toBe(404);
    const withDeleted = await alice.get(`/teams/${teamId}/channels/name/old-news?include_deleted=true`);
    expect(withDeleted.status).toBe(200);
    expect(withDeleted.body.delete_at).toBeGreaterThan(0);
    // Memberships of archived channels stay listed, as Mattermost's channel members for a team do.
    const memberships = (await alice.get(`/users/me/teams/${teamId}/channels/members`)).body as Array<{ channel_id: string }>;
    expect(memberships.map((m) => m.channel_id)).toContain(old.id);
  });

  it('exposes assertCanReadChannel and assertChannelMember for other services', async () => {
    const as = (client: ApiClient, isSystemAdmin = false): AuthContext => ({ sessionId: '', userId: client.userId, roles: '', isSystemAdmin });
    const { channels } = t.node.services;
    expect(await channels.assertCanReadChannel(as(bob), open.id)).toMatchObject({ id: open.id, team_id: teamId, type: 'O' });
    expect(await channels.assertCanReadChannel(as(admin, true), secret.id)).toMatchObject({ id: secret.id, type: 'P' });
    await expect(channels.assertCanReadChannel(as(carol), open.id)).rejects.toMatchObject({ id: 'api.context.permissions.app_error', status: 403 });
    await expect(channels.assertCanReadChannel(as(bob), UNKNOWN_ID)).rejects.toMatchObject({ id: 'app.channel.get.existing.app_error', status: 404 });
    expect(await channels.assertChannelMember(as(alice), secret.id)).toMatchObject({ id: secret.id });
    // Reading is not membership: dave may read the open channel he left, but is not a member of it.
    expect(await channels.assertCanReadChannel(as(dave), open.id)).toMatchObject({ id: open.id });
    await expect(channels.assertChannelMember(as(dave), open.id)).rejects.toMatchObject({ id: 'api.context.permissions.app_error', status: 403 });
    await expect(channels.assertChannelMember(as(admin, true), secret.id)).rejects.toMatchObject({ status: 403 });
  });
});
