import { SwitchboardError } from '@switchboard/shared';
import { getChannelAccess, isChannelMember, isTeamMember, type ChannelAccessRow } from '../store/members.store.js';
import type { AuthContext, ServiceDeps } from './context.js';

/**
 * Channels: creation (open, private, direct), lookups, memberships, and the channel
 * permission checks other services (posts, the WebSocket hub) share.
 */
export class ChannelService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * The channel if the caller may read it: as a member, as a team member for an open channel,
   * or as a system admin. Unknown channel: 404; otherwise refused: 403.
   * @example const channel = await services.channels.assertCanReadChannel(auth, post.channel_id);
   */
  async assertCanReadChannel(auth: AuthContext, channelId: string): Promise<ChannelAccessRow> {
    const channel = await this.requireAccessRow(channelId);
    if (auth.isSystemAdmin || (await isChannelMember(this.deps.db, channelId, auth.userId))) return channel;
    if (channel.type === 'O' && (await isTeamMember(this.deps.db, channel.team_id, auth.userId))) return channel;
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

  private async requireAccessRow(channelId: string): Promise<ChannelAccessRow> {
    const channel = await getChannelAccess(this.deps.db, channelId);
    if (!channel) throw new SwitchboardError('app.channel.get.existing.app_error', { detail: `channel_id=${channelId}` });
    return channel;
  }
}
