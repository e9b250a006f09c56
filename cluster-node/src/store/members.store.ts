import type { Queryable } from './db.js';

/**
 * Membership reads that permissions and WebSocket fan-out share. Writes live with their
 * resources (teams.store.ts, channels.store.ts).
 */

/** The minimal facts about a channel that permission checks need. */
export interface ChannelAccessRow {
  id: string;
  team_id: string;
  type: 'O' | 'P' | 'D';
  delete_at: string;
}

export async function getChannelAccess(db: Queryable, channelId: string): Promise<ChannelAccessRow | undefined> {
  const { rows } = await db.query<ChannelAccessRow>('SELECT id, team_id, type, delete_at FROM channels WHERE id = $1', [channelId]);
  return rows[0];
}

export async function isChannelMember(db: Queryable, channelId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2', [channelId, userId]);
  return rows.length > 0;
}

/** Ids of a channel's members. */
export async function channelMemberIds(db: Queryable, channelId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM channel_members WHERE channel_id = $1', [channelId]);
  return rows.map((row) => row.user_id);
}

export async function isTeamMember(db: Queryable, teamId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2 AND delete_at = 0', [teamId, userId]);
  return rows.length > 0;
}

/** Ids of a team's active members. */
export async function teamMemberIds(db: Queryable, teamId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM team_members WHERE team_id = $1 AND delete_at = 0', [teamId]);
  return rows.map((row) => row.user_id);
}

/** Whether a user's team role in a team includes team_admin. */
export async function isTeamAdmin(db: Queryable, teamId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query<{ roles: string }>('SELECT roles FROM team_members WHERE team_id = $1 AND user_id = $2 AND delete_at = 0', [teamId, userId]);
  return rows[0]?.roles.split(' ').includes('team_admin') ?? false;
}
