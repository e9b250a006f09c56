import type { LongRunningQuery, ReplicationEntry, RowCount, RowCounts } from '@switchboard/shared';
import type pg from 'pg';

/** The tables counted, in the order reported. Fixed names: they are interpolated as identifiers. */
const COUNTED_TABLES = ['users', 'teams', 'channels', 'posts', 'sessions'] as const;

/** Long-running queries reported at most (the oldest first). @default 50 */
export const LONG_RUNNING_LIMIT = 50;

/** Characters of a long-running query's text kept. @default 200 */
export const QUERY_TEXT_LIMIT = 200;

type Queryable = Pick<pg.ClientBase, 'query'>;

/** Server version, role, database size and connection limit. */
export async function readServer(client: Queryable): Promise<{ version: string; role: 'primary' | 'replica'; databaseSizeBytes: number; maxConnections: number }> {
  const { rows } = await client.query<{ version: string; replica: boolean; size: string; max: string }>(
    `SELECT current_setting('server_version') AS version, pg_is_in_recovery() AS replica,
            pg_database_size(current_database())::text AS size, current_setting('max_connections') AS max`,
  );
  const row = rows[0]!;
  return { version: row.version, role: row.replica ? 'replica' : 'primary', databaseSizeBytes: Number(row.size), maxConnections: Number(row.max) };
}

/** Client connections to the whole server, by state (null state, a backend between queries, is `unknown`). */
export async function readConnections(client: Queryable): Promise<{ total: number; byState: Record<string, number> }> {
  const { rows } = await client.query<{ state: string; n: number }>(
    `SELECT coalesce(state, 'unknown') AS state, count(*)::int AS n
       FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1`,
  );
  const byState: Record<string, number> = {};
  for (const row of rows) byState[row.state] = row.n;
  return { total: rows.reduce((sum, row) => sum + row.n, 0), byState };
}

/**
 * Row counts of the main tables: the planner's estimate (reltuples, or the statistics' live
 * tuples for a table never analysed) for big tables, an exact count(*) below `exactBelow`.
 */
export async function readRowCounts(client: Queryable, exactBelow: number): Promise<RowCounts> {
  const { rows } = await client.query<{ name: string; estimate: string | null }>(
    `SELECT t.name, CASE WHEN c.oid IS NULL THEN NULL WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE coalesce(s.n_live_tup, 0) END::text AS estimate
       FROM unnest($1::text[]) AS t(name)
       LEFT JOIN pg_class c ON c.oid = to_regclass(t.name)
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid`,
    [[...COUNTED_TABLES]],
  );
  const counts: Partial<Record<(typeof COUNTED_TABLES)[number], RowCount | null>> = {};
  for (const table of COUNTED_TABLES) {
    const estimate = rows.find((row) => row.name === table)?.estimate ?? null;
    if (estimate === null) counts[table] = null;
    else if (Number(estimate) >= exactBelow) counts[table] = { count: Number(estimate), exact: false };
    else counts[table] = { count: Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n), exact: true };
  }
  return counts as RowCounts;
}

/** Replicas streaming from this server, with how many WAL bytes each has yet to replay. */
export async function readReplication(client: Queryable): Promise<ReplicationEntry[]> {
  const { rows } = await client.query<{ client_addr: string | null; state: string; sent_lsn: string | null; replay_lsn: string | null; lag: string | null }>(
    `SELECT host(client_addr) AS client_addr, state, sent_lsn::text, replay_lsn::text,
            pg_wal_lsn_diff(sent_lsn, replay_lsn)::bigint::text AS lag
       FROM pg_stat_replication ORDER BY client_addr, pid`,
  );
  return rows.map((row) => ({
    clientAddr: row.client_addr,
    state: row.state,
    sentLsn: row.sent_lsn,
    replayLsn: row.replay_lsn,
    lagBytes: row.lag === null ? null : Math.max(0, Number(row.lag)),
  }));
}

/** Statements running (or a transaction open) for longer than `thresholdMs`, the oldest first; our own excluded. */
export async function readLongRunning(client: Queryable, thresholdMs: number): Promise<LongRunningQuery[]> {
  const { rows } = await client.query<{ pid: number; ms: string; state: string; query: string }>(
    `SELECT pid, floor(extract(epoch FROM clock_timestamp() - query_start) * 1000)::bigint::text AS ms, state,
            left(query, $2) AS query
       FROM pg_stat_activity
      WHERE state IS NOT NULL AND state <> 'idle' AND pid <> pg_backend_pid()
        AND query_start < clock_timestamp() - make_interval(secs => $1::double precision / 1000)
      ORDER BY query_start LIMIT $3`,
    [thresholdMs, QUERY_TEXT_LIMIT, LONG_RUNNING_LIMIT],
  );
  return rows.map((row) => ({ pid: row.pid, durationMs: Math.max(0, Number(row.ms)), state: row.state, query: row.query.slice(0, QUERY_TEXT_LIMIT) }));
}
