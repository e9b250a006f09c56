import type { Channel, ChannelMember, ChannelType } from '@switchboard/shared';
import type { Queryable } from './db.js';

/**
 * Channels and channel memberships: SQL only. Permission reads shared with other services
 * (channel access, membership tests) live in members.store.ts.
 */

/** A channels row as pg returns it (bigint columns as strings). */
export interface ChannelRow {
  id: string;
  create_at: string;
  update_at: string;
  delete_at: string;
  team_id: string;
  type: ChannelType;
  name: string;
  display_name: string;
  header: string;
  purpose: string;
  last_post_at: string;
  last_root_post_at: string;
  total_msg_count: string;
  creator_id: string;
}

/** A channel_members row as pg returns it. */
export interface ChannelMemberRow {
  channel_id: string;
  user_id: string;
  roles: string;
  last_viewed_at: string;
  msg_count: string;
  mention_count: string;
  notify_props: Record<string, string>;
  last_update_at: string;
}

/** Mattermost's notify props of a new channel member. */
export const DEFAULT_CHANNEL_NOTIFY_PROPS: Readonly<Record<string, string>> = Object.freeze({
  desktop: 'default',
  email: 'default',
  mark_unread: 'all',
  push: 'default',
  ignore_channel_mentions: 'default',
});

/** The unique index that keeps channel names unique per team (and direct channels unique per pair). */
export const CHANNEL_NAME_INDEX = 'channels_team_name_key';

/** The API shape of a channel row. */
export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    create_at: Number(row.create_at),
    update_at: Number(row.update_at),
    delete_at: Number(row.delete_at),
    team_id: row.team_id,
    type: row.type,
    display_name: row.display_name,
    name: row.name,
    header: row.header,
    purpose: row.purpose,
    last_post_at: Number(row.last_post_at),
    last_root_post_at: Number(row.last_root_post_at),
    total_msg_count: Number(row.total_msg_count),
    creator_id: row.creator_id,
    scheme_id: '',
    group_constrained: false,
    shared: false,
  };
}

/** The API shape of a channel member row; scheme flags follow its roles. */
export function toChannelMember(row: ChannelMemberRow): ChannelMember {
  const roles = row.roles.split(' ');
  return {
    channel_id: row.channel_id,
    user_id: row.user_id,
    roles: row.roles,
    last_viewed_at: Number(row.last_viewed_at),
    msg_count: Number(row.msg_count),
    mention_count: Number(row.mention_count),
    notify_props: row.notify_props,
    last_update_at: Number(row.last_update_at),
    scheme_guest: false,
    scheme_user: roles.includes('channel_user'),
    scheme_admin: roles.includes('channel_admin'),
  };
}

/** What a new channel row needs. */
export interface NewChannel {
  id: string;
  now: number;
  teamId: string;
  type: ChannelType;
  name: string;
  displayName: string;
  header: string;
  purpose: string;
  creatorId: string;
}

/** Inserts a channel; a taken (team, name) raises a unique violation on {@link CHANNEL_NAME_INDEX}. */
export async function insertChannel(db: Queryable, channel: NewChannel): Promise<ChannelRow> {
  const { rows } = await db.query<ChannelRow>(
    `INSERT INTO channels (id, create_at, update_at, team_id, type, name, display_name, header, purpose, creator_id)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [channel.id, channel.now, channel.teamId, channel.type, channel.name, channel.displayName, channel.header, channel.purpose, channel.creatorId],
  );
  return rows[0]!;
}

/** Inserts a channel unless its (team, name) is taken; undefined when it was. */
export async function insertChannelIfAbsent(db: Queryable, channel: NewChannel): Promise<ChannelRow | undefined> {
  const { rows } = await db.query<ChannelRow>(
    `INSERT INTO channels (id, create_at, update_at, team_id, type, name, display_name, header, purpose, creator_id)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (team_id, name) DO NOTHING RETURNING *`,
    [channel.id, channel.now, channel.teamId, channel.type, channel.name, channel.displayName, channel.header, channel.purpose, channel.creatorId],
  );
  return rows[0];
}

/** A channel by id, archived or not. */
export async function getChannelById(db: Queryable, id: string): Promise<ChannelRow | undefined> {
  const { rows } = await db.query<ChannelRow>('SELECT * FROM channels WHERE id = $1', [id]);
  return rows[0];
}

/** A channel by team and name (team '' for direct channels). */
export async function getChannelByName(db: Queryable, teamId: string, name: string): Promise<ChannelRow | undefined> {
  const { rows } = await db.query<ChannelRow>('SELECT * FROM channels WHERE team_id = $1 AND name = $2', [teamId, name]);
  return rows[0];
}

/** A page of a team's open, undeleted channels, by display name. */
export async function listOpenChannels(db: Queryable, teamId: string, limit: number, offset: number): Promise<ChannelRow[]> {
  const { rows } = await db.query<ChannelRow>(
    `SELECT * FROM channels WHERE team_id = $1 AND type = 'O' AND delete_at = 0 ORDER BY display_name, id LIMIT $2 OFFSET $3`,
    [teamId, limit, offset],
  );
  return rows;
}

/** Filter for a user's channels: one team (plus the user's direct channels), or all of them. */
export interface UserChannelScope {
  userId: string;
  /** With a team: that team's channels and the direct ones; without: every channel. */
  teamId?: string;
  /** Whether archived channels count (channel lists only; memberships are always all listed). */
  includeDeleted?: boolean;
}

function scopeSql(scope: UserChannelScope): { where: string; values: unknown[] } {
  if (scope.teamId === undefined) return { where: 'cm.user_id = $1', values: [scope.userId] };
  return { where: `cm.user_id = $1 AND (c.team_id = $2 OR c.type = 'D')`, values: [scope.userId, scope.teamId] };
}

/** Channels a user is a member of, within a scope, by display name then name. */
export async function listChannelsForUser(db: Queryable, scope: UserChannelScope): Promise<ChannelRow[]> {
  const { where, values } = scopeSql(scope);
  const archived = scope.includeDeleted ? '' : ' AND c.delete_at = 0';
  const { rows } = await db.query<ChannelRow>(
    `SELECT c.* FROM channels c JOIN channel_members cm ON cm.channel_id = c.id WHERE ${where}${archived} ORDER BY c.display_name, c.name`,
    values,
  );
  return rows;
}

/** A user's memberships, within a scope. */
export async function listChannelMembersForUser(db: Queryable, scope: UserChannelScope): Promise<ChannelMemberRow[]> {
  const { where, values } = scopeSql(scope);
  const { rows } = await db.query<ChannelMemberRow>(
    `SELECT cm.* FROM channel_members cm JOIN channels c ON c.id = cm.channel_id WHERE ${where} ORDER BY cm.channel_id`,
    values,
  );
  return rows;
}

/** Adds a member unless already one; returns the new row, or undefined when it existed. */
export async function insertChannelMember(
  db: Queryable,
  member: { channelId: string; userId: string; roles: string; now: number },
): Promise<ChannelMemberRow | undefined> {
  const { rows } = await db.query<ChannelMemberRow>(
    `INSERT INTO channel_members (channel_id, user_id, roles, notify_props, last_update_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, user_id) DO NOTHING RETURNING *`,
    [member.channelId, member.userId, member.roles, JSON.stringify(DEFAULT_CHANNEL_NOTIFY_PROPS), member.now],
  );
  return rows[0];
}

/** A user's membership of a channel. */
export async function getChannelMember(db: Queryable, channelId: string, userId: string): Promise<ChannelMemberRow | undefined> {
  const { rows } = await db.query<ChannelMemberRow>('SELECT * FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channelId, userId]);
  return rows[0];
}

/** The existing memberships of some users in a channel. */
export async function getChannelMembers(db: Queryable, channelId: string, userIds: readonly string[]): Promise<ChannelMemberRow[]> {
  const { rows } = await db.query<ChannelMemberRow>('SELECT * FROM channel_members WHERE channel_id = $1 AND user_id = ANY($2)', [channelId, userIds]);
  return rows;
}

/** A page of a channel's members, by user id. */
export async function listChannelMembers(db: Queryable, channelId: string, limit: number, offset: number): Promise<ChannelMemberRow[]> {
  const { rows } = await db.query<ChannelMemberRow>(
    'SELECT * FROM channel_members WHERE channel_id = $1 ORDER BY user_id LIMIT $2 OFFSET $3',
    [channelId, limit, offset],
  );
  return rows;
}

/**
 * Marks a channel read for a member, as Mattermost's view: last_viewed_at moves to `now` (never
 * back), msg_count catches up with the channel's total, mention_count clears. The member's new
 * last_viewed_at, or undefined when the user is not a member.
 */
export async function markChannelViewed(db: Queryable, channelId: string, userId: string, now: number): Promise<number | undefined> {
  const { rows } = await db.query<{ last_viewed_at: string }>(
    `UPDATE channel_members m SET last_viewed_at = GREATEST(m.last_viewed_at, $3), msg_count = c.total_msg_count, mention_count = 0,
       last_update_at = GREATEST(m.last_update_at, $3)
     FROM channels c WHERE c.id = m.channel_id AND m.channel_id = $1 AND m.user_id = $2 RETURNING m.last_viewed_at`,
    [channelId, userId, now],
  );
  return rows[0] ? Number(rows[0].last_viewed_at) : undefined;
}

/** Removes a membership; whether there was one. */
export async function deleteChannelMember(db: Queryable, channelId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channelId, userId]);
  return (rowCount ?? 0) > 0;
}

/** Channels of a team with these names (the default channels a new team member joins). */
export async function getTeamChannelsByNames(db: Queryable, teamId: string, names: readonly string[]): Promise<ChannelRow[]> {
  const { rows } = await db.query<ChannelRow>('SELECT * FROM channels WHERE team_id = $1 AND name = ANY($2) AND delete_at = 0 ORDER BY name', [teamId, names]);
  return rows;
}
