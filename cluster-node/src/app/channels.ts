import { broadcast, newId, SwitchboardError, type Channel, type ChannelMember, type CreateChannelRequest } from '@switchboard/shared';
import {
  CHANNEL_NAME_INDEX,
  getChannelById,
  getChannelByName,
  insertChannel,
  insertChannelIfAbsent,
  insertChannelMember,
  listChannelMembersForUser,
  listChannelsForUser,
  listOpenChannels,
  toChannel,
  toChannelMember,
  type ChannelRow,
} from '../store/channels.store.js';
import { isUniqueViolation } from '../store/db.js';
import { getChannelAccess, isChannelMember, isTeamMember, type ChannelAccessRow } from '../store/members.store.js';
import { getTeamById } from '../store/teams.store.js';
import { getUserById, getUsersByIds } from '../store/users.store.js';
import { ChannelMembers } from './channel-members.js';
import type { AuthContext, ServiceDeps } from './context.js';

/** Channel names: 1 to 64 lowercase letters, digits, `-` or `_`. */
export const CHANNEL_NAME = /^[a-z0-9_-]{1,64}$/;

/** The name of the direct channel between two users, as Mattermost's `GetDMNameFromIds`. */
export function directChannelName(userA: string, userB: string): string {
  return userA < userB ? `${userA}__${userB}` : `${userB}__${userA}`;
}

function validateChannelInput(input: CreateChannelRequest): { name: string; displayName: string; type: 'O' | 'P' } {
  const name = input.name.trim();
  const displayName = input.display_name.trim();
  if (!CHANNEL_NAME.test(name)) throw new SwitchboardError('model.channel.is_valid.name.app_error', { detail: `name=${name.slice(0, 80)}` });
  if (displayName.length < 1 || displayName.length > 64) throw new SwitchboardError('model.channel.is_valid.display_name.app_error');
  if (input.type !== 'O' && input.type !== 'P') throw new SwitchboardError('model.channel.is_valid.type.app_error', { detail: `type=${input.type.slice(0, 8)}` });
  return { name, displayName, type: input.type };
}

/**
 * Channels: creation (open, private, direct), lookups, memberships, and the channel
 * permission checks other services (posts, the WebSocket hub) share.
 */
export class ChannelService {
  /** Channel memberships: listing, adding, removing. */
  readonly members: ChannelMembers;

  constructor(private readonly deps: ServiceDeps) {
    this.members = new ChannelMembers(deps, this);
  }

  /**
   * The channel if the caller may read it: as a member, as a team member for an open channel,
   * or as a system admin. Unknown channel: 404; otherwise refused: 403.
   * @example const channel = await services.channels.assertCanReadChannel(auth, post.channel_id);
   */
  async assertCanReadChannel(auth: AuthContext, channelId: string): Promise<ChannelAccessRow> {
    const channel = await this.requireAccessRow(channelId);
    if (await this.canRead(auth, channel)) return channel;
    throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} cannot read channel_id=${channelId}` });
  }

  /**
   * The channel if the caller is one of its members (no system-admin bypass: membership is the
   * point, e.g. for typing or read state). Unknown channel: 404; not a member: 403.
   * @example const channel = await services.channels.assertChannelMember(auth, channelId);
   */
  async assertChannelMember(auth: AuthContext, channelId: string): Promise<ChannelAccessRow> {
    const channel = await this.requireAccessRow(channelId);
    if (await isChannelMember(this.deps.db, channelId, auth.userId)) return channel;
    throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} is not a member of channel_id=${channelId}` });
  }

  /** Whether the caller may read a channel (member; team member of an open channel; system admin). */
  async canRead(auth: AuthContext, channel: Pick<ChannelAccessRow, 'id' | 'team_id' | 'type'>): Promise<boolean> {
    if (auth.isSystemAdmin || (await isChannelMember(this.deps.db, channel.id, auth.userId))) return true;
    return channel.type === 'O' && (await isTeamMember(this.deps.db, channel.team_id, auth.userId));
  }

  /** Creates an open or private channel in a team the caller belongs to; the caller becomes its admin. */
  async create(auth: AuthContext, input: CreateChannelRequest): Promise<Channel> {
    const { name, displayName, type } = validateChannelInput(input);
    await this.requireTeamMember(auth, input.team_id);
    const now = this.deps.now();
    let row: ChannelRow;
    try {
      row = await this.deps.db.transaction(async (tx) => {
        const channel = await insertChannel(tx, {
          id: newId(),
          now,
          teamId: input.team_id,
          type,
          name,
          displayName,
          header: input.header ?? '',
          purpose: input.purpose ?? '',
          creatorId: auth.userId,
        });
        await insertChannelMember(tx, { channelId: channel.id, userId: auth.userId, roles: 'channel_user channel_admin', now });
        return channel;
      });
    } catch (err) {
      if (isUniqueViolation(err, CHANNEL_NAME_INDEX)) throw new SwitchboardError('store.sql_channel.save_channel.exists.app_error', { detail: `team_id=${input.team_id} name=${name}` });
      throw err;
    }
    this.deps.log.info({ channelId: row.id, teamId: row.team_id, userId: auth.userId }, 'channel created');
    await this.deps.bus.publish({ kind: 'channel_created', broadcast: broadcast({ user_id: auth.userId }), data: { channel_id: row.id, team_id: row.team_id } });
    return toChannel(row);
  }

  /**
   * The direct channel between two users, created on first ask (idempotent). The caller must be
   * one of them unless a system admin; a user may message themself.
   */
  async createDirect(auth: AuthContext, pair: readonly [string, string]): Promise<Channel> {
    const [userA, userB] = pair;
    if (!auth.isSystemAdmin && auth.userId !== userA && auth.userId !== userB) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: 'a direct channel must include the caller' });
    }
    const userIds = [...new Set(pair)];
    if ((await getUsersByIds(this.deps.db, userIds)).length !== userIds.length) {
      throw new SwitchboardError('api.channel.create_direct_channel.invalid_user.app_error', { detail: `user_ids=${userIds.join(',')}` });
    }
    const name = directChannelName(userA, userB);
    const existing = await getChannelByName(this.deps.db, '', name);
    if (existing) return toChannel(existing);
    const now = this.deps.now();
    const created = await this.deps.db.transaction(async (tx) => {
      const channel = await insertChannelIfAbsent(tx, { id: newId(), now, teamId: '', type: 'D', name, displayName: '', header: '', purpose: '', creatorId: auth.userId });
      for (const userId of channel ? userIds : []) await insertChannelMember(tx, { channelId: channel!.id, userId, roles: 'channel_user', now });
      return channel;
    });
    // A concurrent request created it between our read and our insert: theirs is the channel.
    if (!created) return toChannel((await getChannelByName(this.deps.db, '', name))!);
    this.deps.log.info({ channelId: created.id, userIds }, 'direct channel created');
    // Each member hears of it alone; broadcast.channel_id also rides along because Mattermost's
    // web app reads the new channel's id from there.
    for (const userId of userIds) {
      const teammateId = userId === userA ? userB : userA;
      await this.deps.bus.publish({ kind: 'direct_added', broadcast: broadcast({ user_id: userId, channel_id: created.id }), data: { teammate_id: teammateId, creator_id: auth.userId } });
    }
    return toChannel(created);
  }

  /** A channel the caller may read. */
  async get(auth: AuthContext, channelId: string): Promise<Channel> {
    const row = await this.requireChannel(channelId);
    if (!(await this.canRead(auth, row))) throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} cannot read channel_id=${channelId}` });
    return toChannel(row);
  }

  /**
   * A channel by team and name. As Mattermost does, a private channel the caller cannot read
   * answers 404 (its name is not disclosed); an open one in a team they are not in, 403.
   * Archived channels are found only with `includeDeleted`.
   */
  async getByName(auth: AuthContext, teamId: string, name: string, includeDeleted = false): Promise<Channel> {
    await this.requireTeam(teamId);
    const found = await getChannelByName(this.deps.db, teamId, name);
    const row = found && (includeDeleted || Number(found.delete_at) === 0) ? found : undefined;
    const readable = row !== undefined && (await this.canRead(auth, row));
    if (!row || (!readable && row.type !== 'O')) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `team_id=${teamId} name=${name}` });
    if (!readable) throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} is not a member of team_id=${teamId}` });
    return toChannel(row);
  }

  /** A page of a team's open channels, for its members and system admins. */
  async listOpen(auth: AuthContext, teamId: string, paging: { page: number; perPage: number }): Promise<Channel[]> {
    await this.requireTeamMember(auth, teamId);
    return (await listOpenChannels(this.deps.db, teamId, paging.perPage, paging.page * paging.perPage)).map(toChannel);
  }

  /**
   * A user's channels: in one team (plus their direct channels), or everywhere; archived ones
   * only with `includeDeleted`. Self or system admin.
   */
  async listForUser(auth: AuthContext, userId: string, scope: { teamId?: string; includeDeleted?: boolean } = {}): Promise<Channel[]> {
    await this.requireUserScope(auth, userId, scope.teamId);
    return (await listChannelsForUser(this.deps.db, { userId, ...scope })).map(toChannel);
  }

  /** A user's channel memberships in one team (plus their direct channels). Self or system admin. */
  async listMembersForUser(auth: AuthContext, userId: string, teamId: string): Promise<ChannelMember[]> {
    await this.requireUserScope(auth, userId, teamId);
    return (await listChannelMembersForUser(this.deps.db, { userId, teamId })).map(toChannelMember);
  }

  /** A channel row, or 404. */
  async requireChannel(channelId: string): Promise<ChannelRow> {
    const row = await getChannelById(this.deps.db, channelId);
    if (!row) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `channel_id=${channelId}` });
    return row;
  }

  private async requireAccessRow(channelId: string): Promise<ChannelAccessRow> {
    const channel = await getChannelAccess(this.deps.db, channelId);
    if (!channel) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `channel_id=${channelId}` });
    return channel;
  }

  private async requireTeam(teamId: string): Promise<void> {
    if (!(await getTeamById(this.deps.db, teamId))) throw new SwitchboardError('app.team.get.find.app_error', { detail: `team_id=${teamId}` });
  }

  /** 404 for an unknown team; 403 unless the caller is in it or a system admin. */
  private async requireTeamMember(auth: AuthContext, teamId: string): Promise<void> {
    await this.requireTeam(teamId);
    if (!auth.isSystemAdmin && !(await isTeamMember(this.deps.db, teamId, auth.userId))) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} is not a member of team_id=${teamId}` });
    }
  }

  /** Self or system admin (403), an existing user (404), and with a team, one the caller may view. */
  private async requireUserScope(auth: AuthContext, userId: string, teamId: string | undefined): Promise<void> {
    if (auth.userId !== userId) {
      if (!auth.isSystemAdmin) throw new SwitchboardError('api.context.permissions.app_error', { detail: 'only the user themself or a system admin may list their channels' });
      if (!(await getUserById(this.deps.db, userId))) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_id=${userId}` });
    }
    if (teamId !== undefined) await this.requireTeamMember(auth, teamId);
  }
}
