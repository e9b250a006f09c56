import type { Queryable } from './db.js';

/** A session joined with what authorisation needs of its user. */
export interface SessionWithUser {
  id: string;
  user_id: string;
  expires_at: string;
  roles: string;
  user_delete_at: string;
}

export async function insertSession(
  db: Queryable,
  session: { id: string; tokenHash: string; userId: string; now: number; expiresAt: number; deviceId: string },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id, token_hash, user_id, create_at, expires_at, last_activity_at, device_id)
     VALUES ($1, $2, $3, $4, $5, $4, $6)`,
    [session.id, session.tokenHash, session.userId, session.now, session.expiresAt, session.deviceId],
  );
}

/** The live session with this token hash, with its user's roles; expired ones are not returned. */
export async function getSessionByTokenHash(db: Queryable, tokenHash: string, now: number): Promise<SessionWithUser | undefined> {
  const { rows } = await db.query<SessionWithUser>(
    `SELECT s.id, s.user_id, s.expires_at, u.roles, u.delete_at AS user_delete_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
}

/** Of the given session ids, those still live (present and unexpired). */
export async function liveSessionIds(db: Queryable, sessionIds: readonly string[], now: number): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>('SELECT id FROM sessions WHERE id = ANY($1) AND expires_at > $2', [sessionIds, now]);
  return new Set(rows.map((row) => row.id));
}

/** Deletes sessions that expired before `now`; returns how many went. */
export async function deleteExpiredSessions(db: Queryable, now: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now]);
  return rowCount ?? 0;
}
