import type { User } from '@switchboard/shared';
import type { Queryable } from './db.js';

/** A users row, password hash included: never send it out as is. */
export interface UserRow {
  id: string;
  create_at: string;
  update_at: string;
  delete_at: string;
  username: string;
  email: string;
  password_hash: string;
  nickname: string;
  first_name: string;
  last_name: string;
  position: string;
  roles: string;
  locale: string;
  props: Record<string, string>;
  notify_props: Record<string, string>;
  last_password_update: string;
}

/** The API shape of a user row (no password hash; email only when `showEmail`). */
export function toUser(row: UserRow, showEmail: boolean): User {
  return {
    id: row.id,
    create_at: Number(row.create_at),
    update_at: Number(row.update_at),
    delete_at: Number(row.delete_at),
    username: row.username,
    auth_data: '',
    auth_service: '',
    email: showEmail ? row.email : '',
    email_verified: true,
    nickname: row.nickname,
    first_name: row.first_name,
    last_name: row.last_name,
    position: row.position,
    roles: row.roles,
    locale: row.locale,
    timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
    props: row.props,
    notify_props: row.notify_props,
    last_password_update: Number(row.last_password_update),
    is_bot: false,
  };
}

export async function insertUser(
  db: Queryable,
  user: { id: string; now: number; username: string; email: string; passwordHash: string; roles: string; nickname: string; firstName: string; lastName: string; position: string; locale: string },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (id, create_at, update_at, username, email, password_hash, roles, nickname, first_name, last_name, position, locale, last_password_update)
     VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $2) RETURNING *`,
    [user.id, user.now, user.username, user.email, user.passwordHash, user.roles, user.nickname, user.firstName, user.lastName, user.position, user.locale],
  );
  return rows[0]!;
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM users');
  return Number(rows[0]!.n);
}

export async function getUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0];
}

export async function getUsersByIds(db: Queryable, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE id = ANY($1) ORDER BY username', [ids]);
  return rows;
}

export async function getUsersByUsernames(db: Queryable, usernames: readonly string[]): Promise<UserRow[]> {
  if (usernames.length === 0) return [];
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = ANY($1) ORDER BY username', [usernames]);
  return rows;
}

export async function getUserByUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = $1', [username]);
  return rows[0];
}

/** Finds a user by username or (case-insensitive) email. */
export async function getUserByLogin(db: Queryable, loginId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('SELECT * FROM users WHERE username = lower($1) OR lower(email) = lower($1) LIMIT 1', [loginId]);
  return rows[0];
}

/** Filters for listing and searching users. */
export interface UserFilter {
  term?: string;
  inTeam?: string;
  inChannel?: string;
  notInChannel?: string;
  /** Restrict to users sharing a team with this user (non-admin visibility). */
  visibleTo?: string;
  allowInactive?: boolean;
  limit: number;
  offset: number;
}

/** Lists users matching the filter, ordered by username. */
export async function listUsers(db: Queryable, filter: UserFilter): Promise<UserRow[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (!filter.allowInactive) where.push('u.delete_at = 0');
  if (filter.term) {
    const like = param(`%${filter.term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(u.username LIKE ${like} OR lower(u.nickname) LIKE ${like} OR lower(u.first_name) LIKE ${like} OR lower(u.last_name) LIKE ${like} OR lower(u.email) LIKE ${like})`);
  }
  if (filter.inTeam) where.push(`EXISTS (SELECT 1 FROM team_members tm WHERE tm.user_id = u.id AND tm.team_id = ${param(filter.inTeam)} AND tm.delete_at = 0)`);
  if (filter.inChannel) where.push(`EXISTS (SELECT 1 FROM channel_members cm WHERE cm.user_id = u.id AND cm.channel_id = ${param(filter.inChannel)})`);
  if (filter.notInChannel) where.push(`NOT EXISTS (SELECT 1 FROM channel_members cm WHERE cm.user_id = u.id AND cm.channel_id = ${param(filter.notInChannel)})`);
  if (filter.visibleTo) {
    const me = param(filter.visibleTo);
    where.push(`(u.id = ${me} OR EXISTS (SELECT 1 FROM team_members a JOIN team_members b ON a.team_id = b.team_id WHERE a.user_id = ${me} AND b.user_id = u.id AND a.delete_at = 0 AND b.delete_at = 0)
      OR EXISTS (SELECT 1 FROM channel_members a JOIN channel_members b ON a.channel_id = b.channel_id WHERE a.user_id = ${me} AND b.user_id = u.id))`);
  }
  const sql = `SELECT u.* FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.username LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`;
  const { rows } = await db.query<UserRow>(sql, values);
  return rows;
}
