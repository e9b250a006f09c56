import { hash, verify } from '@node-rs/argon2';
import {
  broadcast,
  newId,
  SwitchboardError,
  type CreateUserRequest,
  type LoginRequest,
  type SearchUsersRequest,
  type User,
} from '@switchboard/shared';
import { isUniqueViolation } from '../store/db.js';
import {
  countUsers,
  getUserById,
  getUserByLogin,
  getUserByUsername,
  getUsersByIds,
  getUsersByUsernames,
  insertUser,
  listUsers,
  toUser,
  type UserRow,
} from '../store/users.store.js';
import type { AuthContext, ServiceDeps } from './context.js';
import type { SessionService } from './sessions.js';

const USERNAME = /^[a-z][a-z0-9._-]{2,21}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,62}$/;
// Verified against when a login names no user, so a miss costs what a hit does.
const DUMMY_HASH_PROMISE = hash('switchboard-timing-equaliser');

/** Users: sign-up, login, lookups and search, with Mattermost's visibility rules. */
export class UserService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionService,
  ) {}

  /** The API shape of a row, email shown to the user themself and to admins. */
  present(row: UserRow, viewer: AuthContext | undefined): User {
    return toUser(row, viewer !== undefined && (viewer.userId === row.id || viewer.isSystemAdmin));
  }

  /** Signs a user up. The first user becomes system admin; later ones need open sign-up or an admin. */
  async create(input: CreateUserRequest, caller: AuthContext | undefined): Promise<User> {
    const username = input.username.trim().toLowerCase();
    const email = input.email.trim();
    if (!USERNAME.test(username)) throw new SwitchboardError('model.user.is_valid.username.app_error', { detail: `username=${username.slice(0, 64)}` });
    if (!EMAIL.test(email)) throw new SwitchboardError('model.user.is_valid.email.app_error');
    if (input.password.length < 8 || input.password.length > 72) throw new SwitchboardError('model.user.is_valid.pwd.app_error');
    const isFirst = (await countUsers(this.deps.db)) === 0;
    if (!isFirst && !this.deps.config.enableOpenSignup && !caller?.isSystemAdmin) {
      throw new SwitchboardError('api.user.create_user.signup_email_disabled.app_error');
    }
    const passwordHash = await hash(input.password);
    let row: UserRow;
    try {
      row = await insertUser(this.deps.db, {
        id: newId(),
        now: this.deps.now(),
        username,
        email,
        passwordHash,
        // Two first sign-ups racing may both see an empty table; the admin role is then shared, not lost.
        roles: isFirst ? 'system_admin system_user' : 'system_user',
        nickname: input.nickname ?? '',
        firstName: input.first_name ?? '',
        lastName: input.last_name ?? '',
        position: input.position ?? '',
        locale: input.locale ?? 'en',
      });
    } catch (err) {
      if (isUniqueViolation(err, 'users_username_key')) throw new SwitchboardError('app.user.save.username_exists.app_error');
      if (isUniqueViolation(err, 'users_email_key')) throw new SwitchboardError('app.user.save.email_exists.app_error');
      throw err;
    }
    this.deps.log.info({ userId: row.id, username }, 'user created');
    await this.deps.bus.publish({ kind: 'new_user', broadcast: broadcast({}), data: { user_id: row.id } });
    return this.present(row, caller ?? { userId: row.id, sessionId: '', roles: row.roles, isSystemAdmin: false });
  }

  /** Checks credentials and opens a session: the user and the token for the `Token` header. */
  async login(input: LoginRequest): Promise<{ user: User; token: string }> {
    const row = input.id ? await getUserById(this.deps.db, input.id) : input.login_id ? await getUserByLogin(this.deps.db, input.login_id) : undefined;
    const valid = row !== undefined && Number(row.delete_at) === 0 ? await verify(row.password_hash, input.password) : await verify(await DUMMY_HASH_PROMISE, input.password).then(() => false);
    if (!row || !valid) throw new SwitchboardError('api.user.login.invalid_credentials_email_username');
    const { token, sessionId } = await this.sessions.create(row.id, input.device_id ?? input.deviceId ?? '');
    this.deps.log.info({ userId: row.id, sessionId }, 'user logged in');
    return { user: this.present(row, { userId: row.id, sessionId, roles: row.roles, isSystemAdmin: false }), token };
  }

  async get(viewer: AuthContext, userId: string): Promise<User> {
    const row = await getUserById(this.deps.db, userId);
    if (!row) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_id=${userId}` });
    return this.present(row, viewer);
  }

  async getByUsername(viewer: AuthContext, username: string): Promise<User> {
    const row = await getUserByUsername(this.deps.db, username.toLowerCase());
    if (!row) throw new SwitchboardError('app.user.missing_account.const', { detail: `username=${username.slice(0, 64)}` });
    return this.present(row, viewer);
  }

  async getByIds(viewer: AuthContext, ids: readonly string[]): Promise<User[]> {
    return (await getUsersByIds(this.deps.db, ids)).map((row) => this.present(row, viewer));
  }

  async getByUsernames(viewer: AuthContext, usernames: readonly string[]): Promise<User[]> {
    return (await getUsersByUsernames(this.deps.db, usernames.map((name) => name.toLowerCase()))).map((row) => this.present(row, viewer));
  }

  /** Users matching a search term (username, names, nickname, email), within the caller's view. */
  async search(viewer: AuthContext, input: SearchUsersRequest): Promise<User[]> {
    const rows = await listUsers(this.deps.db, {
      term: input.term,
      inTeam: input.team_id || undefined,
      inChannel: input.in_channel_id || undefined,
      notInChannel: input.not_in_channel_id || undefined,
      visibleTo: viewer.isSystemAdmin ? undefined : viewer.userId,
      allowInactive: input.allow_inactive === true && viewer.isSystemAdmin,
      limit: input.limit ?? 100,
      offset: 0,
    });
    return rows.map((row) => this.present(row, viewer));
  }

  /** A page of users, optionally those in a team or channel. */
  async list(viewer: AuthContext, filter: { inTeam?: string; inChannel?: string; page: number; perPage: number }): Promise<User[]> {
    const rows = await listUsers(this.deps.db, {
      inTeam: filter.inTeam,
      inChannel: filter.inChannel,
      visibleTo: viewer.isSystemAdmin ? undefined : viewer.userId,
      limit: filter.perPage,
      offset: filter.page * filter.perPage,
    });
    return rows.map((row) => this.present(row, viewer));
  }
}
