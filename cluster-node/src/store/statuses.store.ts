import type { StatusValue, UserStatus } from '@switchboard/shared';
import type { Queryable } from './db.js';

interface StatusRow {
  user_id: string;
  status: StatusValue;
  manual: boolean;
  last_activity_at: string;
}

function toStatus(row: StatusRow): UserStatus {
  return { user_id: row.user_id, status: row.status, manual: row.manual, last_activity_at: Number(row.last_activity_at) };
}

/** Stored statuses of these users (users with no row are absent: they are offline). */
export async function getStatuses(db: Queryable, userIds: readonly string[]): Promise<UserStatus[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<StatusRow>('SELECT * FROM statuses WHERE user_id = ANY($1)', [userIds]);
  return rows.map(toStatus);
}

/** Writes a status unconditionally. */
export async function saveStatus(db: Queryable, status: UserStatus): Promise<void> {
  await db.query(
    `INSERT INTO statuses (user_id, status, manual, last_activity_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, manual = EXCLUDED.manual, last_activity_at = EXCLUDED.last_activity_at`,
    [status.user_id, status.status, status.manual, status.last_activity_at],
  );
}

/**
 * Sets an automatic status (online on connect, offline on last disconnect) unless the user chose
 * one by hand. Returns whether the stored status changed.
 */
export async function saveAutomaticStatus(db: Queryable, userId: string, status: StatusValue, now: number): Promise<boolean> {
  const { rows } = await db.query<{ changed: boolean }>(
    `WITH previous AS (SELECT status FROM statuses WHERE user_id = $1)
     INSERT INTO statuses (user_id, status, manual, last_activity_at) VALUES ($1, $2, false, $3)
     ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, last_activity_at = EXCLUDED.last_activity_at
       WHERE statuses.manual = false
     RETURNING (SELECT status FROM previous) IS DISTINCT FROM $2 AS changed`,
    [userId, status, now],
  );
  return rows[0]?.changed ?? false;
}
