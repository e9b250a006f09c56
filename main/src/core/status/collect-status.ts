import { SwitchboardError, type ClusterProfile, type ClusterSnapshot, type PostgresHealth, type StatusReport } from '@switchboard/shared';
import type { Logger } from 'pino';
import { PostgresInspector } from '../inspector/inspector.js';
import { ClusterObserver } from '../observer/observer.js';
import { redisTargetFromProfile } from '../observer/redis-target.js';
import { buildStatusReport } from './status-report.js';

/** How long `switchboard status` waits for Redis and Postgres before calling them unreachable, ms. @default 5000 */
export const STATUS_TIMEOUT_MS = 5_000;

/** What {@link collectStatus} needs. */
export interface CollectStatusDeps {
  log: Logger;
  /**
   * The value of a named secret (profiles name `passwordSecret`s, never hold them); called only
   * for names the profile gives. Returning undefined for a named secret is an error.
   */
  resolveSecret?: (name: string) => string | undefined | Promise<string | undefined>;
  /** @default STATUS_TIMEOUT_MS (5000) */
  timeoutMs?: number;
}

/**
 * The cluster at a glance for `switchboard status`: opens an observer and an inspector for the
 * profile, takes one snapshot and one health report side by side, closes everything, and builds
 * the report. Whatever does not answer within `timeoutMs` is reported `unreachable`; only a
 * named secret that cannot be resolved throws (`console.invalid_argument`).
 * @example const report = await collectStatus(profile, { log, resolveSecret: (name) => process.env[name] });
 */
export async function collectStatus(profile: ClusterProfile, deps: CollectStatusDeps): Promise<StatusReport> {
  const timeoutMs = deps.timeoutMs ?? STATUS_TIMEOUT_MS;
  const redisPassword = await secretFor(deps, 'redis.passwordSecret', profile.redis.passwordSecret);
  const postgresPassword = await secretFor(deps, 'postgres.passwordSecret', profile.postgres.passwordSecret);
  const observer = new ClusterObserver({ redis: redisTargetFromProfile(profile, redisPassword), cluster: profile.cluster, log: deps.log });
  const inspector = new PostgresInspector({
    url: profile.postgres.url,
    ...(postgresPassword === undefined ? {} : { password: postgresPassword }),
    log: deps.log,
    connectTimeoutMs: timeoutMs,
    queryTimeoutMs: timeoutMs,
  });
  try {
    const unreachableRedis: Pick<ClusterSnapshot, 'nodes' | 'leader' | 'redis'> = { nodes: [], leader: null, redis: 'unreachable' };
    const [snapshot, health] = await Promise.all([
      withTimeout(observer.snapshot(), timeoutMs, unreachableRedis),
      withTimeout(
        inspector.health().catch((err: unknown): Pick<PostgresHealth, 'reachable'> => {
          deps.log.warn({ err }, 'status: postgres health failed');
          return { reachable: false };
        }),
        timeoutMs,
        { reachable: false },
      ),
    ]);
    return buildStatusReport(snapshot, health);
  } finally {
    await Promise.all([observer.close(), inspector.close()]);
  }
}

async function secretFor(deps: CollectStatusDeps, field: string, name: string | undefined): Promise<string | undefined> {
  if (name === undefined) return undefined;
  const value = deps.resolveSecret ? await deps.resolveSecret(name) : undefined;
  if (value === undefined) throw new SwitchboardError('console.invalid_argument', { detail: `the secret "${name}" named by ${field} is not available` });
  return value;
}

/** The promise's value, or `fallback` once `ms` have passed (the promise is left to settle). */
function withTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
