import type { NodeConfig } from '@switchboard/shared';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Db } from '../store/db.js';

/** Who is calling: resolved from the session token on every request and socket. */
export interface AuthContext {
  sessionId: string;
  userId: string;
  roles: string;
  isSystemAdmin: boolean;
}

/** What every service receives: explicit dependencies, no globals. */
export interface ServiceDeps {
  config: Readonly<NodeConfig>;
  db: Db;
  bus: EventBus;
  log: Logger;
  metrics: Metrics;
  /** The clock, injectable for tests. */
  now: () => number;
}

/** Whether a roles string (space-separated, Mattermost style) grants system admin. */
export function hasSystemAdmin(roles: string): boolean {
  return roles.split(' ').includes('system_admin');
}
