import { broadcast, SwitchboardError, type ChannelMember } from '@switchboard/shared';
import {
  deleteChannelMember,
  getChannelMember,
  getChannelMembers,
  insertChannelMember,
  listChannelMembers,
  markChannelViewed,
  toChannelMember,
  type ChannelRow,
} from '../store/channels.store.js';
import { isTeamAdmin, isTeamMember } from '../store/members.store.js';
import { activeTeamMemberIds } from '../store/teams.store.js';
import { getUsersByIds } from '../store/users.store.js';
import type { ChannelService } from './channels.js';
import type { AuthContext, ServiceDeps } from './context.js';

/** The default channel nobody leaves, as Mattermost's `DefaultChannelName`. */
export const TOWN_SQUARE = 'town-square';

/** Channel memberships: reads for those who may read the channel, adds and removals with Mattermost's rules. */
export class ChannelMembers {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly channels: ChannelService,
  ) {}

  /** A page of a channel's members. */
  async list(auth: AuthContext, channelId: string, paging: { page: number; perPage: number }): Promise<ChannelMember[]> {
    await this.channels.assertCanReadChannel(auth, channelId);
    return (await listChannelMembers(this.deps.db, channelId, paging.perPage, paging.page * paging.perPage)).map(toChannelMember);
  }

  /** One membership of a channel; 404 when the user is not a member. */
  async get(auth: AuthContext, channelId: string, userId: string): Promise<ChannelMember> {
    await this.channels.assertCanReadChannel(auth, channelId);
    const row = await getChannelMember(this.deps.db, channelId, userId);
    if (!row) throw new SwitchboardError('app.channel.get_member.missing.app_error', { detail: `channel_id=${channelId} user_id=${userId}` });
    return toChannelMember(row);
  }

  /**
   * Adds users to an open or private channel. All targets must exist and belong to the channel's
   * team, or nobody is added. Existing members come back unchanged; each new one is announced
   * with `user_added` once their row is committed.
   */
  async add(auth: AuthContext, channelId: string, userIds: readonly string[]): Promise<ChannelMember[]> {
    const channel = await this.channels.requireChannel(channelId);
    if (channel.type === 'D') throw new SwitchboardError('api.channel.add_user_to_channel.type.app_error', { detail: `channel_id=${channelId} is a direct channel` });
    await this.requireMayAdd(auth, channel);
    const targets = [...new Set(userIds)];
    await this.requireTargets(channel, targets);
    const now = this.deps.now();
    const added = await this.deps.db.transaction(async (tx) => {
      const fresh: string[] = [];
      for (const userId of targets) {
        if (await insertChannelMember(tx, { channelId, userId, roles: 'channel_user', now })) fresh.push(userId);
      }
      return fresh;
    });
    if (added.length > 0) this.deps.log.info({ channelId, userIds: added, by: auth.userId }, 'channel members added');
    for (const userId of added) {
      await this.deps.bus.publish({ kind: 'user_added', broadcast: broadcast({ channel_id: channelId }), data: { user_id: userId, team_id: channel.team_id } });
    }
    const rows = new Map((await getChannelMembers(this.deps.db, channelId, targets)).map((row) => [row.user_id, row]));
    return targets.flatMap((userId) => {
      const row = rows.get(userId);
      return row ? [toChannelMember(row)] : [];
    });
  }

  /**
   * Removes a user from a channel: anyone may leave; channel, team and system admins may remove
   * others. Not from direct channels, not from town-square. Announced twice, as Mattermost does:
   * to the channel, and to the removed user (who no longer receives channel events).
   */
  async remove(auth: AuthContext, channelId: string, userId: string): Promise<void> {
    const channel = await this.channels.requireChannel(channelId);
    if (channel.type === 'D') throw new SwitchboardError('api.channel.remove_user_from_channel.app_error', { detail: `channel_id=${channelId} is a direct channel` });
    if (userId !== auth.userId) await this.requireMayRemoveOthers(auth, channel);
    if (channel.name === TOWN_SQUARE) throw new SwitchboardError('api.channel.remove.default.app_error', { detail: `channel_id=${channelId}` });
    if (!(await deleteChannelMember(this.deps.db, channelId, userId))) {
      throw new SwitchboardError('app.channel.get_member.missing.app_error', { detail: `channel_id=${channelId} user_id=${userId}` });
    }
    this.deps.log.info({ channelId, userId, by: auth.userId }, 'channel member removed');
    await this.deps.bus.publish({ kind: 'user_removed', broadcast: broadcast({ channel_id: channelId }), data: { user_id: userId, remover_id: auth.userId } });
    await this.deps.bus.publish({ kind: 'user_removed', broadcast: broadcast({ user_id: userId }), data: { channel_id: channelId, remover_id: auth.userId } });
  }

  /**
   * Marks channels read for the caller (Mattermost's `channels/members/{user_id}/view`): the
   * viewed channel must be one of theirs (403 otherwise); the channel left (`prevChannelId`) is
   * marked too when it is. Announced to the user's own sockets as `multiple_channels_viewed`, so
   * their other tabs clear the same unread counts. Returns each channel's new last_viewed_at.
   */
  async view(auth: AuthContext, userId: string, channelId: string, prevChannelId = ''): Promise<Record<string, number>> {
    if (userId !== auth.userId) throw new SwitchboardError('api.context.permissions.app_error', { detail: 'a user may only mark their own channels viewed' });
    const now = this.deps.now();
    const times: Record<string, number> = {};
    if (channelId !== '') {
      const at = await markChannelViewed(this.deps.db, channelId, userId, now);
      if (at === undefined) throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${userId} is not a member of channel_id=${channelId}` });
      times[channelId] = at;
    }
    if (prevChannelId !== '' && prevChannelId !== channelId) {
      const at = await markChannelViewed(this.deps.db, prevChannelId, userId, now);
      if (at !== undefined) times[prevChannelId] = at;
    }
    if (Object.keys(times).length > 0) {
      await this.deps.bus.publish({ kind: 'multiple_channels_viewed', broadcast: broadcast({ user_id: userId }), data: { channel_times: times } });
    }
    return times;
  }

  /** Open channel: any member of its team; private channel: its members; system admins always. */
  private async requireMayAdd(auth: AuthContext, channel: ChannelRow): Promise<void> {
    if (auth.isSystemAdmin) return;
    const allowed = channel.type === 'O' ? await isTeamMember(this.deps.db, channel.team_id, auth.userId) : await this.channels.canRead(auth, channel);
    if (!allowed) throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} may not add members to channel_id=${channel.id}` });
  }

  private async requireMayRemoveOthers(auth: AuthContext, channel: ChannelRow): Promise<void> {
    if (auth.isSystemAdmin) return;
    const caller = await getChannelMember(this.deps.db, channel.id, auth.userId);
    if (caller?.roles.split(' ').includes('channel_admin')) return;
    if (await isTeamAdmin(this.deps.db, channel.team_id, auth.userId)) return;
    throw new SwitchboardError('api.context.permissions.app_error', { detail: `user_id=${auth.userId} may not remove others from channel_id=${channel.id}` });
  }

  /** Every target exists (404) and is a member of the channel's team (403). */
  private async requireTargets(channel: ChannelRow, userIds: readonly string[]): Promise<void> {
    const found = new Set((await getUsersByIds(this.deps.db, userIds)).map((user) => user.id));
    const unknown = userIds.filter((id) => !found.has(id));
    if (unknown.length > 0) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_ids=${unknown.join(',')}` });
    const inTeam = await activeTeamMemberIds(this.deps.db, channel.team_id, userIds);
    const outside = userIds.filter((id) => !inTeam.has(id));
    if (outside.length > 0) {
      throw new SwitchboardError('api.channel.add_user.to.channel.failed.deleted.app_error', { detail: `user_ids=${outside.join(',')} not in team_id=${channel.team_id}` });
    }
  }
}
