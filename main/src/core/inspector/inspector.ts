import { isId, PROBE_CHANNEL_NAME, PROBE_TEAM_NAME, type ConsistencyReport, type PostgresHealth } from '@switchboard/shared';
import pg from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseInput } from '../observer/parse-input.js';
import { readConnections, readLongRunning, readReplication, readRowCounts, readServer } from './health-queries.js';
import { toPostgresError } from './postgres-errors.js';

/** A query running longer than this is reported as long-running, ms. @default 5000 */
export const LONG_RUNNING_THRESHOLD_MS = 5_000;

/** Tables estimated below this many rows are counted exactly. @default 100000 */
export const EXACT_COUNT_BELOW = 100_000;

/** How long connecting may take before Postgres counts as unreachable, ms. @default 3000 */
export const INSPECTOR_CONNECT_TIMEOUT_MS = 3_000;

/** How long one inspector query may run, ms. @default 5000 */
export const INSPECTOR_QUERY_TIMEOUT_MS = 5_000;

/** Values sent per query for the array lookups. @default 1000 */
export const INSPECTOR_BATCH = 1_000;

/** What a {@link PostgresInspector} needs. */
export interface PostgresInspectorDeps {
  /** The profile's Postgres URL. */
  url: string;
  /** The value of the profile's `passwordSecret`, when it names one (overrides the URL's). */
  password?: string;
  log: Logger;
  /** @default LONG_RUNNING_THRESHOLD_MS (5000) */
  longRunningThresholdMs?: number;
  /** @default EXACT_COUNT_BELOW (100000) */
  exactCountBelow?: number;
  /** @default INSPECTOR_CONNECT_TIMEOUT_MS (3000) */
  connectTimeoutMs?: number;
  /** @default INSPECTOR_QUERY_TIMEOUT_MS (5000) */
  queryTimeoutMs?: number;
}

const idsSchema = z.array(z.string().refine(isId, 'must be ids of 26 lowercase letters and digits')).max(1_000_000);
const messagesSchema = z.array(z.string().min(1).max(16_383)).max(1_000_000);

/**
 * The console's read-only look into the cluster's Postgres: health at a glance, usernames for the
 * presence list, and the probe's consistency check. Two pooled connections at most. Driver errors
 * become `postgres.unreachable`, `postgres.auth_failed` or `postgres.query_failed`; `health()`
 * reports a database it cannot reach or log into as `reachable: false` instead of throwing.
 */
export class PostgresInspector {
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(private readonly deps: PostgresInspectorDeps) {
    const queryTimeout = deps.queryTimeoutMs ?? INSPECTOR_QUERY_TIMEOUT_MS;
    this.pool = new pg.Pool({
      connectionString: deps.url,
      ...(deps.password === undefined ? {} : { password: deps.password }),
      max: 2,
      connectionTimeoutMillis: deps.connectTimeoutMs ?? INSPECTOR_CONNECT_TIMEOUT_MS,
      query_timeout: queryTimeout,
      statement_timeout: queryTimeout,
      idleTimeoutMillis: 10_000,
      application_name: 'switchboard-console',
    });
    // An idle connection dropped by the server must not crash the process; the next query reports it.
    this.pool.on('error', (err) => deps.log.debug({ err }, 'inspector: idle connection lost'));
  }

  /** Postgres at a glance. Unreachable or refusing us: `reachable: false`; any other failure throws. */
  async health(): Promise<PostgresHealth> {
    const at = Date.now();
    try {
      return await this.withClient(async (client) => {
        const server = await readServer(client);
        const connections = await readConnections(client);
        return {
          reachable: true as const,
          at,
          version: server.version,
          role: server.role,
          databaseSizeBytes: server.databaseSizeBytes,
          connections: { ...connections, max: server.maxConnections },
          rowCounts: await readRowCounts(client, this.deps.exactCountBelow ?? EXACT_COUNT_BELOW),
          replication: await readReplication(client),
          longRunning: await readLongRunning(client, this.deps.longRunningThresholdMs ?? LONG_RUNNING_THRESHOLD_MS),
        };
      });
    } catch (err) {
      const error = toPostgresError(err);
      if (error.id === 'postgres.query_failed') throw error;
      this.deps.log.warn({ id: error.id, detail: error.detail }, 'inspector: postgres not available');
      return { reachable: false, at, error: { id: error.id, message: error.message, detail: error.detail } };
    }
  }

  /**
   * Usernames of user ids (unknown ids are left out), for the observer's presence list.
   * A bound function: pass it around as is. Throws `console.invalid_argument` or a postgres error.
   * @example new ClusterObserver({ ..., lookupUsers: inspector.lookupUsers })
   */
  readonly lookupUsers = async (ids: string[]): Promise<Array<{ id: string; username: string }>> => {
    const valid = [...new Set(parseInput(idsSchema, ids, 'lookupUsers'))];
    return this.withClient(async (client) => {
      const out: Array<{ id: string; username: string }> = [];
      for (let i = 0; i < valid.length; i += INSPECTOR_BATCH) {
        const { rows } = await client.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE id = ANY($1::text[])', [valid.slice(i, i + INSPECTOR_BATCH)]);
        out.push(...rows);
      }
      return out;
    });
  };

  /**
   * Whether every post the probe made is in the database exactly once: each message is looked
   * for among the live posts of the probe channel (team `switchboard-probe`, channel `probe`).
   * Throws `console.invalid_argument` or a postgres error.
   * @example const report = await inspector.consistencyCheck(observer.probeMessages());
   */
  async consistencyCheck(probePostMessages: string[]): Promise<ConsistencyReport> {
    const messages = [...new Set(parseInput(messagesSchema, probePostMessages, 'consistencyCheck'))];
    return this.withClient(async (client) => {
      const channel = await client.query<{ id: string }>(
        'SELECT c.id FROM channels c JOIN teams t ON t.id = c.team_id WHERE t.name = $1 AND c.name = $2 AND c.delete_at = 0 AND t.delete_at = 0',
        [PROBE_TEAM_NAME, PROBE_CHANNEL_NAME],
      );
      const channelId = channel.rows[0]?.id ?? null;
      const counts = new Map<string, number>();
      for (let i = 0; channelId !== null && i < messages.length; i += INSPECTOR_BATCH) {
        const { rows } = await client.query<{ message: string; n: number }>(
          'SELECT message, count(*)::int AS n FROM posts WHERE channel_id = $1 AND delete_at = 0 AND message = ANY($2::text[]) GROUP BY message',
          [channelId, messages.slice(i, i + INSPECTOR_BATCH)],
        );
        for (const row of rows) counts.set(row.message, row.n);
      }
      return {
        expected: messages.length,
        found: counts.size,
        missing: messages.filter((message) => !counts.has(message)),
        duplicated: messages.filter((message) => (counts.get(message) ?? 0) > 1).map((message) => ({ message, count: counts.get(message)! })),
        channelId,
      };
    });
  }

  /** Closes the pool (once; later calls do nothing). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toPostgresError(err);
    }
    let failed = false;
    try {
      return await work(client);
    } catch (err) {
      failed = true;
      throw toPostgresError(err);
    } finally {
      // A connection that failed mid-query (a timeout) may be unusable: destroy it, do not pool it.
      client.release(failed);
    }
  }
}
