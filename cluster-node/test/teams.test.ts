import type { ClusterEvent } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ApiResponse } from './support/api.js';
import { startTestNode, type TestNode } from './support/node.js';

const TEAM_KEYS = [
  'allow_open_invite', 'allowed_domains', 'company_name', 'create_at', 'delete_at', 'description', 'display_name', 'email',
  'group_constrained', 'id', 'invite_id', 'name', 'scheme_id', 'type', 'update_at',
];
const UNKNOWN_ID = 'ybndrfg8ejkmcpqxot1uwisza3';

/** Records the bus events of a kind published while `work` runs. */
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
  return events.filter((event) => ['added_to_team', 'user_added', 'channel_created'].includes(event.kind));
}

describe('teams API', () => {
  let t: TestNode;
  let admin: ApiClient;
  let alice: ApiClient;
  let bob: ApiClient;
  let carol: ApiClient;
  let openTeam: { id: string; name: string };
  let closedTeam: { id: string; name: string };

  beforeAll(async () => {
    t = await startTestNode();
    admin = await t.user('admin'); // the first user is the system admin
    alice = await t.user('alice');
    bob = await t.user('bob');
    carol = await t.user('carol');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('creates a team: 201, Mattermost shape, creator is team admin and in both default channels', async () => {
    let created!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      created = await alice.post('/teams', { name: 'open-team', display_name: 'Open Team', type: 'O' });
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(TEAM_KEYS);
    expect(created.body).toMatchObject({ name: 'open-team', display_name: 'Open Team', type: 'O', delete_at: 0, allow_open_invite: true });
    expect(created.body.id).toMatch(/^[a-z0-9]{26}$/);
    expect(typeof created.body.create_at).toBe('number');
    expect(created.body.invite_id).toMatch(/^[a-z0-9]{26}$/);
    openTeam = created.body;

    const member = await alice.get(`/teams/${openTeam.id}/members/me`);
    expect(member.status).toBe(200);
    expect(member.body).toEqual({ team_id: openTeam.id, user_id: alice.userId, roles: 'team_user team_admin', delete_at: 0, scheme_guest: false, scheme_user: true, scheme_admin: true });

    const channels = await alice.get(`/users/me/teams/${openTeam.id}/channels`);
    expect(channels.status).toBe(200);
    expect(channels.body.map((c: { name: string }) => c.name).sort()).toEqual(['off-topic', 'town-square']);
    const townSquare = channels.body.find((c: { name: string }) => c.name === 'town-square');
    expect(townSquare).toMatchObject({ display_name: 'Town Square', type: 'O', team_id: openTeam.id, total_msg_count: 0 });
    expect(channels.body.find((c: { name: string }) => c.name === 'off-topic').display_name).toBe('Off-Topic');
    // The creator joining the default channels is announced to each of them.
    expect(events.filter((e) => e.kind === 'user_added').map((e) => e.broadcast.channel_id).sort()).toEqual(channels.body.map((c: { id: string }) => c.id).sort());

    const closed = await alice.post('/teams', { name: 'closed_team', display_name: 'Closed', type: 'I' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ type: 'I', allow_open_invite: false });
    closedTeam = closed.body;
  });

  it('refuses bad team bodies with Mattermost errors and creates nothing', async () => {
    const before = (await admin.get('/teams?per_page=200')).body.length;
    const cases: Array<[unknown, number, string]> = [
      [{ name: 'Upper', display_name: 'X', type: 'O' }, 400, 'model.team.is_valid.name.app_error'],
      [{ name: 'a', display_name: 'X', type: 'O' }, 400, 'model.team.is_valid.name.app_error'],
      [{ name: '-dash', display_name: 'X', type: 'O' }, 400, 'model.team.is_valid.name.app_error'],
      [{ name: 'x'.repeat(65), display_name: 'X', type: 'O' }, 400, 'model.team.is_valid.name.app_error'],
      [{ name: 'api', display_name: 'X', type: 'O' }, 400, 'model.team.is_valid.reserved.app_error'],
      [{ name: 'fine-name', display_name: '  ', type: 'O' }, 400, 'model.team.is_valid.display_name.app_error'],
      [{ name: 'fine-name', display_name: 'X'.repeat(65), type: 'O' }, 400, 'model.team.is_valid.display_name.app_error'],
      [{ name: 'fine-name', display_name: 'X', type: 'D' }, 400, 'model.team.is_valid.type.app_error'],
      [{ name: 'open-team', display_name: 'Again', type: 'O' }, 400, 'app.team.save.existing.app_error'],
      [{ display_name: 'No name' }, 400, 'api.context.invalid_body_param.app_error'],
      [['not', 'an', 'object'], 400, 'api.context.invalid_body_param.app_error'],
    ];
    for (const [body, status, id] of cases) {
      const response = await bob.post('/teams', body);
      expect({ body, status: response.status, id: response.body.id }).toEqual({ body, status, id });
    }
    const anonymous = await t.anonymous().post('/teams', { name: 'anon-team', display_name: 'Anon', type: 'O' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.id).toBe('api.context.session_expired.app_error');
    expect((await admin.get('/teams?per_page=200')).body.length).toBe(before);
    expect((await bob.get('/users/me/teams')).body).toEqual([]);
  });

  it('shows open teams to anyone, invite-only teams to members and system admins', async () => {
    const open = await bob.get(`/teams/${openTeam.id}`);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ id: openTeam.id, name: 'open-team', invite_id: '' }); // not a team admin
    expect((await bob.get('/teams/name/open-team')).body.id).toBe(openTeam.id);

    const closed = await bob.get(`/teams/${closedTeam.id}`);
    expect(closed.status).toBe(403);
    expect(closed.body.id).toBe('api.context.permissions.app_error');
    expect((await bob.get('/teams/name/closed_team')).status).toBe(403);
    expect((await alice.get(`/teams/${closedTeam.id}`)).body.invite_id).toMatch(/^[a-z0-9]{26}$/);
    expect((await admin.get('/teams/name/closed_team')).body.id).toBe(closedTeam.id);

    const unknown = await bob.get(`/teams/${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.id).toBe('app.team.get.find.app_error');
    expect((await bob.get('/teams/name/no-such-team')).status).toBe(404);
    expect((await bob.get('/teams/not-an-id')).status).toBe(400);
    expect((await bob.get('/teams/name/Bad!Name')).status).toBe(400);
    expect((await t.anonymous().get(`/teams/${openTeam.id}`)).status).toBe(401);
  });

  it('lists the teams a caller can see, paged', async () => {
    const bobs = await bob.get('/teams');
    expect(bobs.status).toBe(200);
    expect(bobs.body.map((team: { name: string }) => team.name)).toEqual(['open-team']);
    const alices = await alice.get('/teams');
    expect(alices.body.map((team: { name: string }) => team.name).sort()).toEqual(['closed_team', 'open-team']);
    const admins = await admin.get('/teams');
    expect(admins.body.map((team: { name: string }) => team.name).sort()).toEqual(['closed_team', 'open-team']);
    const page0 = await admin.get('/teams?page=0&per_page=1');
    const page1 = await admin.get('/teams?page=1&per_page=1');
    expect(page0.body).toHaveLength(1);
    expect(page1.body).toHaveLength(1);
    expect(page0.body[0].id).not.toBe(page1.body[0].id);
    expect((await admin.get('/teams?per_page=abc')).status).toBe(400);
    expect((await t.anonymous().get('/teams')).status).toBe(401);
  });

  it('lets a user join an open team, into its default channels, announced once', async () => {
    let joined!: ApiResponse;
    const events = await eventsDuring(t, async () => {
      joined = await bob.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: bob.userId });
    });
    expect(joined.status).toBe(201);
    expect(joined.body).toEqual({ team_id: openTeam.id, user_id: bob.userId, roles: 'team_user', delete_at: 0, scheme_guest: false, scheme_user: true, scheme_admin: false });

    const channels = (await bob.get(`/users/me/teams/${openTeam.id}/channels`)).body as Array<{ id: string; name: string }>;
    expect(channels.map((c) => c.name).sort()).toEqual(['off-topic', 'town-square']);
    const added = events.filter((e) => e.kind === 'added_to_team');
    expect(added).toHaveLength(1);
    expect(added[0]!.broadcast).toEqual({ omit_users: null, user_id: bob.userId, channel_id: '', team_id: '' });
    expect(added[0]!.data).toEqual({ team_id: openTeam.id, user_id: bob.userId });
    const userAdded = events.filter((e) => e.kind === 'user_added');
    expect(userAdded.map((e) => e.broadcast.channel_id).sort()).toEqual(channels.map((c) => c.id).sort());
    for (const event of userAdded) expect(event.data).toEqual({ user_id: bob.userId, team_id: openTeam.id });

    // Re-adding is idempotent: the same member, no new events.
    let again!: ApiResponse;
    const quiet = await eventsDuring(t, async () => {
      again = await bob.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: bob.userId });
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(joined.body);
    expect(quiet).toEqual([]);
    // Re-adding does not demote an admin either.
    const alsoAlice = await alice.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: alice.userId });
    expect(alsoAlice.body.roles).toBe('team_user team_admin');
  });

  it('refuses team additions without permission and changes nothing', async () => {
    const events = await eventsDuring(t, async () => {
      const selfClosed = await bob.post(`/teams/${closedTeam.id}/members`, { team_id: closedTeam.id, user_id: bob.userId });
      expect(selfClosed.status).toBe(403);
      expect(selfClosed.body.id).toBe('api.context.permissions.app_error');
      const other = await bob.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: carol.userId });
      expect(other.status).toBe(403);
      const mismatch = await bob.post(`/teams/${openTeam.id}/members`, { team_id: closedTeam.id, user_id: bob.userId });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.id).toBe('api.context.invalid_body_param.app_error');
      expect((await bob.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id })).status).toBe(400);
      expect((await bob.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: 'nope' })).status).toBe(400);
      const unknownTeam = await bob.post(`/teams/${UNKNOWN_ID}/members`, { team_id: UNKNOWN_ID, user_id: bob.userId });
      expect(unknownTeam.status).toBe(404);
      const unknownUser = await alice.post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: UNKNOWN_ID });
      expect(unknownUser.status).toBe(404);
      expect(unknownUser.body.id).toBe('app.user.missing_account.const');
      expect((await t.anonymous().post(`/teams/${openTeam.id}/members`, { team_id: openTeam.id, user_id: bob.userId })).status).toBe(401);
    });
    expect(events).toEqual([]);
    expect((await alice.get(`/teams/${closedTeam.id}/members/${bob.userId}`)).status).toBe(404);
    expect((await alice.get(`/teams/${openTeam.id}/members/${carol.userId}`)).status).toBe(404);
  });

  it('lets team admins and system admins add anyone, even to an invite-only team', async () => {
    const byTeamAdmin = await alice.post(`/teams/${closedTeam.id}/members`, { team_id: closedTeam.id, user_id: carol.userId });
    expect(byTeamAdmin.status).toBe(201);
    expect(byTeamAdmin.body.roles).toBe('team_user');
    expect((await carol.get(`/teams/${closedTeam.id}`)).status).toBe(200);
    const bySystemAdmin = await admin.post(`/teams/${closedTeam.id}/members`, { team_id: closedTeam.id, user_id: bob.userId });
    expect(bySystemAdmin.status).toBe(201);
    expect((await bob.get(`/users/me/teams/${closedTeam.id}/channels`)).body).toHaveLength(2);
  });

  it('lists and reads team members for members and system admins only', async () => {
    const members = await alice.get(`/teams/${openTeam.id}/members`);
    expect(members.status).toBe(200);
    expect(members.body.map((m: { user_id: string }) => m.user_id).sort()).toEqual([alice.userId, bob.userId].sort());
    const page = await alice.get(`/teams/${openTeam.id}/members?page=1&per_page=1`);
    expect(page.body).toHaveLength(1);
    expect(page.body[0].user_id).not.toBe((await alice.get(`/teams/${openTeam.id}/members?page=0&per_page=1`)).body[0].user_id);
    expect((await admin.get(`/teams/${openTeam.id}/members`)).body).toHaveLength(2);
    const outsider = await carol.get(`/teams/${openTeam.id}/members`);
    expect(outsider.status).toBe(403);
    expect((await carol.get(`/teams/${openTeam.id}/members/${alice.userId}`)).status).toBe(403);
    expect((await alice.get(`/teams/${UNKNOWN_ID}/members`)).status).toBe(404);
    expect((await alice.get(`/teams/${openTeam.id}/members/${bob.userId}`)).body.user_id).toBe(bob.userId);
    const missing = await alice.get(`/teams/${openTeam.id}/members/${carol.userId}`);
    expect(missing.status).toBe(404);
    expect(missing.body.id).toBe('app.team.get_member.missing.app_error');
    expect((await alice.get(`/teams/${openTeam.id}/members/bad`)).status).toBe(400);
  });

  it("serves a user's teams and team memberships to themself and system admins", async () => {
    const mine = await bob.get('/users/me/teams');
    expect(mine.status).toBe(200);
    expect(mine.body.map((team: { name: string }) => team.name).sort()).toEqual(['closed_team', 'open-team']);
    expect((await bob.get(`/users/${bob.userId}/teams`)).body).toHaveLength(2);
    const memberships = await bob.get('/users/me/teams/members');
    expect(memberships.body.map((m: { team_id: string }) => m.team_id).sort()).toEqual([closedTeam.id, openTeam.id].sort());
    expect(memberships.body.every((m: { user_id: string; roles: string }) => m.user_id === bob.userId && m.roles === 'team_user')).toBe(true);

    const other = await bob.get(`/users/${alice.userId}/teams`);
    expect(other.status).toBe(403);
    expect((await bob.get(`/users/${alice.userId}/teams/members`)).status).toBe(403);
    expect((await admin.get(`/users/${alice.userId}/teams`)).body).toHaveLength(2);
    expect((await admin.get(`/users/${alice.userId}/teams/members`)).body).toHaveLength(2);
    expect((await admin.get(`/users/${UNKNOWN_ID}/teams`)).status).toBe(404);
    expect((await bob.get('/users/not-an-id/teams')).status).toBe(400);
    expect((await t.anonymous().get('/users/me/teams')).status).toBe(401);
  });
});
