import { broadcast, SwitchboardError, type StatusValue, type UserStatus } from '@switchboard/shared';
import { getUserById } from '../store/users.store.js';
import { getStatuses, saveAutomaticStatus, saveStatus } from '../store/statuses.store.js';
import type { AuthContext, ServiceDeps } from './context.js';

/**
 * Statuses: what users chose (dnd, away, offline by hand) and what their sockets imply
 * (online while connected). Every change publishes `status_change` to the user's own sockets,
 * as Mattermost does (`BroadcastStatus` targets `status.UserId`): other clients ask with
 * `POST /users/status/ids`. Sending every change to everyone costs N² events as N users come
 * online (2,000 clients connecting received 1.9 million of them: docs/BENCHMARKS.md).
 */
export class StatusService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Statuses of these users; users never seen are offline. */
  async get(userIds: readonly string[]): Promise<UserStatus[]> {
    const stored = new Map((await getStatuses(this.deps.db, userIds)).map((s) => [s.user_id, s]));
    return userIds.map((id) => stored.get(id) ?? { user_id: id, status: 'offline', manual: false, last_activity_at: 0 });
  }

  /** A status chosen by the user (or an admin): manual unless it is `online`. */
  async setManual(auth: AuthContext, userId: string, status: StatusValue): Promise<UserStatus> {
    if (auth.userId !== userId && !auth.isSystemAdmin) {
      throw new SwitchboardError('api.context.permissions.app_error', { detail: 'only the user themself or a system admin may set a status' });
    }
    if (!(await getUserById(this.deps.db, userId))) throw new SwitchboardError('app.user.missing_account.const', { detail: `user_id=${userId}` });
    const value: UserStatus = { user_id: userId, status, manual: status !== 'online', last_activity_at: this.deps.now() };
    await saveStatus(this.deps.db, value);
    await this.publish(userId, status);
    return value;
  }

  /** The user's first socket opened (on this node, or in the cluster). */
  async connected(userId: string): Promise<void> {
    if (await saveAutomaticStatus(this.deps.db, userId, 'online', this.deps.now())) await this.publish(userId, 'online');
  }

  /** The user's last socket closed. */
  async disconnected(userId: string): Promise<void> {
    if (await saveAutomaticStatus(this.deps.db, userId, 'offline', this.deps.now())) await this.publish(userId, 'offline');
  }

  private async publish(userId: string, status: StatusValue): Promise<void> {
    await this.deps.bus.publish({ kind: 'status_change', broadcast: broadcast({ user_id: userId }), data: { user_id: userId, status } });
  }
}
