import type { Team, TeamMember, TeamType } from '@switchboard/shared';
import type { Queryable } from './db.js';

/**
 * Teams and team memberships: SQL only. Membership tests shared with other services
 * (isTeamMember, isTeamAdmin) live in members.store.ts.
 */

/** A teams row as pg returns it (bigint columns as strings). */
export interface TeamRow {
  id: string;
  create_at: string;
  update_at: string;
  delete_at: string;
  name: string;
  display_name: string;
  description: string;
  email: string;
  type: TeamType;
  invite_id: string;
  allow_open_invite: boolean;
}

/** A team_members row as pg returns it. */
export interface TeamMemberRow {
  team_id: string;
  user_id: string;
  roles: string;
  delete_at: string;
  create_at: string;
}

/** The unique constraint on team names. */
export const TEAM_NAME_CONSTRAINT = 'teams_name_key';

/** The API shape of a team row; `invite_id` only for those who may manage the team. */
export function toTeam(row: TeamRow, showInvite: boolean): Team {
  return {
    id: row.id,
    create_at: Number(row.create_at),
    update_at: Number(row.update_at),
    delete_at: Number(row.delete_at),
    display_name: row.display_name,
    name: row.name,
    description: row.description,
    email: showInvite ? row.email : '',
    type: row.type,
    company_name: '',
    allowed_domains: '',
    invite_id: showInvite ? row.invite_id : '',
    allow_open_invite: row.allow_open_invite,
    scheme_id: '',
    group_constrained: false,
  };
}

/** The API shape of a team member row; scheme flags follow its roles. */
export function toTeamMember(row: TeamMemberRow): TeamMember {
  const roles = row.roles.split(' ');
  return {
    team_id: row.team_id,
    user_id: row.user_id,
    roles: row.roles,
    delete_at: Number(row.delete_at),
    scheme_guest: false,
    scheme_user: roles.includes('team_user'),
    scheme_admin: roles.includes('team_admin'),
  };
}

/** Inserts a team; a taken name raises a unique violation on {@link TEAM_NAME_CONSTRAINT}. */
export async function insertTeam(
  db: Queryable,
  team: { id: string; now: number; name: string; displayName: string; description: string; type: TeamType; inviteId: string; allowOpenInvite: boolean },
): Promise<TeamRow> {
  const { rows } = await db.query<TeamRow>(
    `INSERT INTO teams (id, create_at, update_at, name, display_name, description, type, invite_id, allow_open_invite)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [team.id, team.now, team.name, team.displayName, team.description, team.type, team.inviteId, team.allowOpenInvite],
  );
  return rows[0]!;
}

/** A team by id, deleted or not. */
export async function getTeamById(db: Queryable, id: string): Promise<TeamRow | undefined> {
  const { rows } = await db.query<TeamRow>('SELECT * FROM teams WHERE id = $1', [id]);
  return rows[0];
}

/** A team by its unique name, deleted or not. */
export async function getTeamByName(db: Queryable, name: string): Promise<TeamRow | undefined> {
  const { rows } = await db.query<TeamRow>('SELECT * FROM teams WHERE name = $1', [name]);
  return rows[0];
}

/**
 * A page of undeleted teams by display name: all of them, or (with `visibleTo`) the open ones
 * and those the user belongs to.
 */
export async function listTeams(db: Queryable, filter: { visibleTo?: string; limit: number; offset: number }): Promise<TeamRow[]> {
  if (filter.visibleTo === undefined) {
    const { rows } = await db.query<TeamRow>('SELECT * FROM teams WHERE delete_at = 0 ORDER BY display_name, id LIMIT $1 OFFSET $2', [filter.limit, filter.offset]);
    return rows;
  }
  const { rows } = await db.query<TeamRow>(
    `SELECT t.* FROM teams t WHERE t.delete_at = 0 AND (t.type = 'O'
       OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = $1 AND tm.delete_at = 0))
     ORDER BY t.display_name, t.id LIMIT $2 OFFSET $3`,
    [filter.visibleTo, filter.limit, filter.offset],
  );
  return rows;
}

/** Undeleted teams a user is an active member of, by display name. */
export async function listTeamsForUser(db: Queryable, userId: string): Promise<TeamRow[]> {
  const { rows } = await db.query<TeamRow>(
    `SELECT t.* FROM teams t JOIN team_members tm ON tm.team_id = t.id
     WHERE tm.user_id = $1 AND tm.delete_at = 0 AND t.delete_at = 0 ORDER BY t.display_name, t.id`,
    [userId],
  );
  return rows;
}

/**
 * Makes a user an active team member: inserts the row, or revives one left with delete_at.
 * Returns the row when the user was not an active member before, undefined when they were.
 */
export async function insertTeamMember(
  db: Queryable,
  member: { teamId: string; userId: string; roles: string; now: number },
): Promise<TeamMemberRow | undefined> {
  const { rows } = await db.query<TeamMemberRow>(
    `INSERT INTO team_members (team_id, user_id, roles, create_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (team_id, user_id) DO UPDATE SET delete_at = 0, roles = EXCLUDED.roles, create_at = EXCLUDED.create_at
       WHERE team_members.delete_at > 0
     RETURNING *`,
    [member.teamId, member.userId, member.roles, member.now],
  );
  return rows[0];
}

/** A user's active membership of a team. */
export async function getTeamMember(db: Queryable, teamId: string, userId: string): Promise<TeamMemberRow | undefined> {
  const { rows } = await db.query<TeamMemberRow>('SELECT * FROM team_members WHERE team_id = $1 AND user_id = $2 AND delete_at = 0', [teamId, userId]);
  return rows[0];
}

/** A page of a team's active members, oldest first. */
export async function listTeamMembers(db: Queryable, teamId: string, limit: number, offset: number): Promise<TeamMemberRow[]> {
  const { rows } = await db.query<TeamMemberRow>(
    'SELECT * FROM team_members WHERE team_id = $1 AND delete_at = 0 ORDER BY create_at, user_id LIMIT $2 OFFSET $3',
    [teamId, limit, offset],
  );
  return rows;
}

/** A user's active memberships of undeleted teams. */
export async function listTeamMembersForUser(db: Queryable, userId: string): Promise<TeamMemberRow[]> {
  const { rows } = await db.query<TeamMemberRow>(
    `SELECT tm.* FROM team_members tm JOIN teams t ON t.id = tm.team_id
     WHERE tm.user_id = $1 AND tm.delete_at = 0 AND t.delete_at = 0 ORDER BY tm.team_id`,
    [userId],
  );
  return rows;
}

/** Of these users, the ids that are active members of the team. */
export async function activeTeamMemberIds(db: Queryable, teamId: string, userIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM team_members WHERE team_id = $1 AND user_id = ANY($2) AND delete_at = 0', [teamId, userIds]);
  return new Set(rows.map((row) => row.user_id));
}
