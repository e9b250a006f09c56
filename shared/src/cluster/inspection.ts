import { z } from 'zod';

/**
 * What the console's Postgres inspector reports: the database's health at a glance and the
 * probe's consistency check. Plain JSON; sizes in bytes, durations in ms.
 */

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();

/** A table's row count: exact (count(*)) below the inspector's threshold, else the planner's estimate. */
export const rowCountSchema = z.object({ count, exact: z.boolean() });

/** The main tables' row counts; null for a table the database does not have (not migrated). */
export const rowCountsSchema = z.object({
  users: rowCountSchema.nullable(),
  teams: rowCountSchema.nullable(),
  channels: rowCountSchema.nullable(),
  posts: rowCountSchema.nullable(),
  sessions: rowCountSchema.nullable(),
});

/** One replica streaming from this server (pg_stat_replication). */
export const replicationEntrySchema = z.object({
  /** The replica's address; null over a Unix socket. */
  clientAddr: z.string().nullable(),
  /** startup, catchup, streaming, backup or stopping. */
  state: z.string(),
  sentLsn: z.string().nullable(),
  replayLsn: z.string().nullable(),
  /** WAL bytes sent but not yet replayed; null when either position is unknown. */
  lagBytes: count.nullable(),
});

/** A query running longer than the inspector's threshold. */
export const longRunningQuerySchema = z.object({
  pid: z.number().int().positive(),
  durationMs: count,
  state: z.string(),
  /** The query text, at most 200 characters. */
  query: z.string().max(200),
});

/** The error behind an unreachable database, as the console shows it. */
export const inspectionErrorSchema = z.object({ id: z.string(), message: z.string(), detail: z.string() });

/** Postgres at a glance: everything when it answers, the reason when it does not. */
export const postgresHealthSchema = z.discriminatedUnion('reachable', [
  z.object({
    reachable: z.literal(true),
    /** When the figures were read, epoch ms. */
    at: epochMs,
    /** server_version, e.g. `15.4`. */
    version: z.string(),
    /** Whether this server is a primary or a replica in recovery. */
    role: z.enum(['primary', 'replica']),
    databaseSizeBytes: count,
    /** Client connections to the whole server, by state (`active`, `idle`, `idle in transaction`…). */
    connections: z.object({ total: count, max: count, byState: z.record(z.string(), count) }),
    rowCounts: rowCountsSchema,
    replication: z.array(replicationEntrySchema),
    longRunning: z.array(longRunningQuerySchema),
  }),
  z.object({ reachable: z.literal(false), at: epochMs, error: inspectionErrorSchema }),
]);

/** Whether every post the probe made is in the database exactly once. */
export const consistencyReportSchema = z.object({
  /** Distinct probe messages checked. */
  expected: count,
  /** Of those, how many are in the probe channel (once or more). */
  found: count,
  /** Messages not in the database. */
  missing: z.array(z.string()),
  /** Messages stored more than once, with how many times. */
  duplicated: z.array(z.object({ message: z.string(), count })),
  /** The probe channel checked; null when it does not exist (then every message is missing). */
  channelId: z.string().nullable(),
});

/** The main tables' row counts. */
export type RowCounts = z.infer<typeof rowCountsSchema>;
/** A table's row count and whether it is exact. */
export type RowCount = z.infer<typeof rowCountSchema>;
/** One replica's replication status. */
export type ReplicationEntry = z.infer<typeof replicationEntrySchema>;
/** A long-running query. */
export type LongRunningQuery = z.infer<typeof longRunningQuerySchema>;
/** Postgres at a glance. */
export type PostgresHealth = z.infer<typeof postgresHealthSchema>;
/** The probe's consistency check. */
export type ConsistencyReport = z.infer<typeof consistencyReportSchema>;
