import { createHash } from 'node:crypto';
import { broadcast, newId, SwitchboardError } from '@switchboard/shared';
import { deleteSession, getSessionByTokenHash, insertSession, liveSessionIds } from '../store/sessions.store.js';
import { hasSystemAdmin, type AuthContext, type ServiceDeps } from './context.js';

/** Tokens are stored only as their SHA-256, so a database leak yields no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Pulls a session token out of an Authorization header (`Bearer x` or `Token x`, any case). */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header.trim());
  return match?.[2];
}

/** Sessions: creation on login, resolution per request, revocation on logout. */
export class SessionService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Creates a session for a user and returns its bearer token (shown once, stored hashed). */
  async create(userId: string, deviceId: string): Promise<{ token: string; sessionId: string }> {
    const token = newId();
    const sessionId = newId();
    const now = this.deps.now();
    await insertSession(this.deps.db, {
      id: sessionId,
      tokenHash: hashToken(token),
      userId,
      now,
      expiresAt: now + this.deps.config.sessionLengthMs,
      deviceId,
    });
    return { token, sessionId };
  }

  /** The caller behind a token, or undefined for a missing, expired or revoked one. */
  async resolve(token: string | undefined): Promise<AuthContext | undefined> {
    if (!token || token.length > 128) return undefined;
    const row = await getSessionByTokenHash(this.deps.db, hashToken(token), this.deps.now());
    if (!row || Number(row.user_delete_at) > 0) return undefined;
    return { sessionId: row.id, userId: row.user_id, roles: row.roles, isSystemAdmin: hasSystemAdmin(row.roles) };
  }

  /** Like {@link resolve}, but a missing session is Mattermost's 401. */
  async require(token: string | undefined): Promise<AuthContext> {
    const auth = await this.resolve(token);
    if (!auth) throw new SwitchboardError('api.context.session_expired.app_error', { detail: token ? 'token is invalid or expired' : 'token is missing' });
    return auth;
  }

  /** Revokes a session and tells every node to close its sockets. */
  async revoke(auth: AuthContext): Promise<void> {
    await deleteSession(this.deps.db, auth.sessionId);
    await this.deps.bus.publish({
      kind: 'session_revoked',
      broadcast: broadcast({ user_id: auth.userId }),
      data: { user_id: auth.userId, session_ids: [auth.sessionId] },
    });
  }

  /** Of these session ids, the ones still live. */
  live(sessionIds: readonly string[]): Promise<Set<string>> {
    return liveSessionIds(this.deps.db, sessionIds, this.deps.now());
  }
}
