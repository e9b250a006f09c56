import { broadcast, newId, SwitchboardError, type CreateTeamRequest, type Team, type TeamMember, type TeamType } from '@switchboard/shared';
import { getTeamChannelsByNames, insertChannel, insertChannelMember, type ChannelRow } from '../store/channels.store.js';
import { isUniqueViolation, type Queryable } from '../store/db.js';
import {
  getTeamById,
  getTeamByName,
  getTeamMember,
  insertTeam,
  insertTeamMember,
  listTeamMembers,
  listTeamMembersForUser,
  listTeams,
  listTeamsForUser,
  TEAM_NAME_CONSTRAINT,
  toTeam,
  toTeamMember,
  type TeamMemberRow,
  type TeamRow,
} from '../store/teams.store.js';
import { getUserById } from '../store/users.store.js';
import type { AuthContext, ServiceDeps } from './context.js';

/** Team names: 2 to 64 lowercase letters, digits, `-` or `_`, starting with a letter or digit. */
export const TEAM_NAME = /^[a-z0-9][a-z0-9_-]{1,63}$/;

/** Names the web app routes use, which Mattermost therefore refuses for teams. */
const RESERVED_TEAM_NAMES = new Set(['admin', 'api', 'boards', 'channel', 'claim', 'error', 'files', 'help', 'landing', 'login', 'mfa', 'oauth', 'playbooks', 'plug', 'plugins', 'post', 'signup']);

/** The open channels every team starts with and every new team member joins, as Mattermost's. */
export const DEFAULT_CHANNELS: ReadonlyArray<{ name: string; displayName: string }> = [
  { name: 'town-square', displayName: 'Town Square' },
  { name: 'off-topic', displayName: 'Off-Topic' },
];

/** Joins a user to a team's default channels; returns the channels newly joined. */
export async function joinDefaultChannels(tx: Queryable, teamId: string, userId: string, now: number): Promise<ChannelRow[]> {
  const channels = await getTeamChannelsByNames(tx, teamId, DEFAULT_CHANNELS.map((c) => c.name));
  const joined: ChannelRow[] = [];
  for (const channel of channels) {
    if (await insertChannelMember(tx, { channelId: channel.id, userId, roles: 'channel_user', now })) joined.push(channel);
  }
  return joined;
}

function validateTeamInput(input: CreateTeamRequest): { name: string; displayName: string; type: TeamType } {
  const name = input.name.trim();
  const displayName = input.display_name.trim();
  if (!TEAM_NAME.test(name)) throw new SwitchboardError('model.team.is_valid.name.app_error', { detail: `name=${name.slice(0, 80)}` });
  if (RESERVED_TEAM_NAMES.has(name)) throw new SwitchboardError('model.team.is_valid.reserved.app_error', { detail: `name=${name}` });
  if (displayName.length < 1 || displayName.length > 64) throw new SwitchboardError('model.team.is_valid.display_name.app_error');
  if (input.type !== 'O' && input.type !== 'I') throw new SwitchboardError('model.team.is_valid.type.app_error', { detail: `type=${input.type.slice(0, 8)}` });
  return { name, displayName, type: input.type };
}

/** Teams: creation with default channels, visibility, and team memberships. */
export class TeamService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Creates a team; the caller becomes its admin and joins its two default channels. */
  async create(auth: AuthContext, input: CreateTeamRequest): Promise<Team> {
    const valid = validateTeamInput(input);
    let created: { team: TeamRow; joined: ChannelRow[] };
    try {
      created = await this.deps.db.transaction((tx) => this.insertWithDefaults(tx, auth.userId, input, valid));
    } catch (err) {
      if (isUniqueViolation(err, TEAM_NAME_CONSTRAINT)) throw new SwitchboardError('app.team.save.existing.app_error', { detail: `name=${valid.name}` });
      throw err;
    }
    this.deps.log.info({ teamId: created.team.id, userId: auth.userId, name: valid.name }, 'team created');
    await this.publishJoined(created.joined, auth.userId);
    return toTeam(created.team, true);
  }

  /** A team the caller may see (member, open team, system admin): 404 unknown, 403 refused. */
  async get(auth: AuthContext, teamId: string): Promise<Team> {
    return this.presentVisible(auth, await getTeamById(this.deps.db, teamId), `team_id=${teamId}`);
  }

  /** {@link get} by name. */
  async getByName(auth: AuthContext, name: string): Promise<Team> {
    return this.presentVisible(auth, await getTeamByName(this.deps.db, name), `name=${name}`);
  }

  /** A page of the teams the caller can see: theirs and the open ones (all for system admins). */
  async list(auth: AuthContext, paging: { page: number; perPage: number }): Promise<Team[]> {
    const rows = await listTeams(this.deps.db, {
      visibleTo: auth.isSystemAdmin ? undefined : auth.userId,
      limit: paging.perPage,
      offset: paging.page * paging.perPage,
    });
    return this.presentMany(auth, rows);
  }

  /** The teams a user belongs to; only the user themself or a system admin may ask. */
  async listForUser(auth: AuthContext, userId: string): Promise<Team[]> {
    await this.requireSelfOrAdmin(auth, userId);
    return this.presentMany(auth, await listTeamsForUser(this.deps.db, userId));
  }

  /** A user's team memberships; only the user themself or a system admin may ask. */
  async listMembersForUser(auth: AuthContext, userId: string): Promise<TeamMember[]> {
    await this.requireSelfOrAdmin(auth, userId);
    return (await listTeamMembersForUser(this.deps.db, userId)).map(toTeamMember);
  }

  /** A page of a team's members, for its members and system admins. */
  async listMembers(auth: AuthContext, teamId: string, paging: { page: number; perPage: number }): Promise<TeamMember[]> {
    await this.requireViewTeam(auth, teamId);
    return (await listTeamMembers(this.deps.db, teamId, paging.perPage, paging.page * paging.perPage)).map(toTeamMember);
  }

  /** One membership of a team, for its members and system admins. */
  async getMember(auth: AuthContext, teamId: string, userId: string): Promise<TeamMember> {
    await this.requireViewTeam(auth, teamId);
    const row = await getTeamMember(this.deps.db, teamId, userId);
    if (!row) throw new SwitchboardError('app.team.get_member.missing.app_error', { detail: `team_id=${teamId} user_id=${userId}` });
    return toTeamMember(row);
  }

  /**
   * Adds a user to a team and its default channels: team and system admins may add anyone, a
   * user may add themself to an open team. Adding an existing member returns them unchanged.
   */
  async addMember(auth: AuthContext, teamId: string, userId: string): Promise<TeamMember> {
    const team = await this.requireTeam(teamId);
    const callerMember = await getTeamMember(this.deps.db, teamId, auth.userId);
    const isTeamAdmin = callerMember?.roles.split(' ').includes('team_admin') ?? false;
    if (!auth.isSystemAdmin && !isTeamAdmin && !(userId === auth.userId && team.type === 'O')) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} may not add user_id=${userId} to team_id=${teamId}` });
    }
    if (!(await getUserById(this.deps.db, userId))) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_id=${userId}` });
    const now = this.deps.now();
    const added = await this.deps.db.transaction(async (tx) => {
      const member = await insertTeamMember(tx, { teamId, userId, roles: 'team_user', now });
      return member ? { member, joined: await joinDefaultChannels(tx, teamId, userId, now) } : undefined;
    });
    if (!added) return toTeamMember((await getTeamMember(this.deps.db, teamId, userId))!);
    this.deps.log.info({ teamId, userId, by: auth.userId }, 'team member added');
    await this.publishJoined(added.joined, userId);
    await this.deps.bus.publish({ kind: 'added_to_team', broadcast: broadcast({ user_id: userId }), data: { team_id: teamId, user_id: userId } });
    return toTeamMember(added.member);
  }

  /** The team, its creator as team admin, its default channels and the creator in them: one transaction. */
  private async insertWithDefaults(
    tx: Queryable,
    creatorId: string,
    input: CreateTeamRequest,
    valid: { name: string; displayName: string; type: TeamType },
  ): Promise<{ team: TeamRow; joined: ChannelRow[] }> {
    const now = this.deps.now();
    const team = await insertTeam(tx, {
      id: newId(),
      now,
      name: valid.name,
      displayName: valid.displayName,
      description: input.description ?? '',
      type: valid.type,
      inviteId: newId(),
      allowOpenInvite: input.allow_open_invite ?? valid.type === 'O',
    });
    await insertTeamMember(tx, { teamId: team.id, userId: creatorId, roles: 'team_user team_admin', now });
    for (const channel of DEFAULT_CHANNELS) {
      await insertChannel(tx, { id: newId(), now, teamId: team.id, type: 'O', name: channel.name, displayName: channel.displayName, header: '', purpose: '', creatorId: '' });
    }
    return { team, joined: await joinDefaultChannels(tx, team.id, creatorId, now) };
  }

  private async publishJoined(channels: readonly ChannelRow[], userId: string): Promise<void> {
    for (const channel of channels) {
      await this.deps.bus.publish({ kind: 'user_added', broadcast: broadcast({ channel_id: channel.id }), data: { user_id: userId, team_id: channel.team_id } });
    }
  }

  private async requireTeam(teamId: string): Promise<TeamRow> {
    const team = await getTeamById(this.deps.db, teamId);
    if (!team) throw new SwitchboardError('app.team.get.find.app_error', { detail: `team_id=${teamId}` });
    return team;
  }

  /** The caller's membership (undefined for a system admin outside the team); 404 unknown team, 403 outsider. */
  private async requireViewTeam(auth: AuthContext, teamId: string): Promise<TeamMemberRow | undefined> {
    await this.requireTeam(teamId);
    const member = await getTeamMember(this.deps.db, teamId, auth.userId);
    if (!member && !auth.isSystemAdmin) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} is not a member of team_id=${teamId}` });
    }
    return member;
  }

  private async requireSelfOrAdmin(auth: AuthContext, userId: string): Promise<void> {
    if (auth.userId === userId) return;
    if (!auth.isSystemAdmin) throw new SwitchboardError('api.context.permissions.app_error', { detail: 'only the user themself or a system admin may list their teams' });
    if (!(await getUserById(this.deps.db, userId))) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_id=${userId}` });
  }

  private async presentVisible(auth: AuthContext, team: TeamRow | undefined, detail: string): Promise<Team> {
    if (!team) throw new SwitchboardError('app.team.get.find.app_error', { detail });
    const member = await getTeamMember(this.deps.db, team.id, auth.userId);
    if (!member && team.type !== 'O' && !auth.isSystemAdmin) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} cannot see team_id=${team.id}` });
    }
    return toTeam(team, auth.isSystemAdmin || (member?.roles.split(' ').includes('team_admin') ?? false));
  }

  /** Teams as the caller may see them: invite ids only where they administer the team. */
  private async presentMany(auth: AuthContext, rows: readonly TeamRow[]): Promise<Team[]> {
    if (auth.isSystemAdmin) return rows.map((row) => toTeam(row, true));
    const adminOf = new Set((await listTeamMembersForUser(this.deps.db, auth.userId)).filter((m) => m.roles.split(' ').includes('team_admin')).map((m) => m.team_id));
    return rows.map((row) => toTeam(row, adminOf.has(row.id)));
  }
}
