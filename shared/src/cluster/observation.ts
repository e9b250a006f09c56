import { z } from 'zod';
import { latencySummarySchema } from './latency.js';
import { leaderHistoryEntrySchema } from './leader.js';
import { probeResultSchema } from './probe.js';
import { registryEntrySchema } from './registry.js';

/**
 * What the console's cluster observer reports: snapshots of the cluster as Redis shows it, the
 * live updates between them, and the queries it answers. Plain JSON, epoch milliseconds.
 */

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();
const nodeId = z.string().min(1).max(128);

/** Whether the observer's last round trip to Redis succeeded. */
export const redisReachabilitySchema = z.enum(['ok', 'unreachable']);

/** A registry entry with how long ago it was beaten (Redis clock minus the entry's `lastBeat`). */
export const observedNodeSchema = registryEntrySchema.extend({ heartbeatAgeMs: count });

/** Who leads, under which epoch, and since when (from the history; null once trimmed away). */
export const leaderInfoSchema = z.object({ nodeId, epoch: z.number().int().positive(), since: epochMs.nullable() });

/** Presence at a glance: users with a socket anywhere, and per node holding presence. */
export const presenceSummarySchema = z.object({
  usersOnline: count,
  /** Open sockets in the whole cluster. */
  connections: count,
  perNode: z.array(z.object({ nodeId, users: count, connections: count })),
});

/** Events per second on the bus over the observer's rate window, by kind and in total. */
export const eventRatesSchema = z.object({
  total: z.number().nonnegative(),
  perKind: z.record(z.string(), z.number().nonnegative()),
});

/** One event read from the bus or its stream. */
export const observedEventSchema = z.object({
  streamId: z.string().regex(/^\d+-\d+$/),
  /** The envelope id. */
  id: z.string(),
  kind: z.string(),
  /** The node that published it. */
  origin: z.string(),
  originSeq: z.number().int().positive(),
  /** When the origin published it, epoch ms (its Redis-corrected clock). */
  ts: epochMs,
  channelId: z.string(),
  teamId: z.string(),
  userId: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** Whether its HMAC was checked against the cluster secret and matched (false without a secret). */
  verified: z.boolean(),
});

/** The cluster at one moment. */
export const clusterSnapshotSchema = z.object({
  cluster: z.string(),
  /** When this snapshot was taken, epoch ms (the console's clock). */
  at: epochMs,
  redis: redisReachabilitySchema,
  /** When the figures below were last read from Redis; null if never. Older than `at` while Redis is unreachable. */
  asOf: epochMs.nullable(),
  nodes: z.array(observedNodeSchema),
  leader: leaderInfoSchema.nullable(),
  /** The latest leadership changes, oldest first. */
  leaderHistory: z.array(leaderHistoryEntrySchema),
  presence: presenceSummarySchema,
  /** Every node's last per-second latency summary, sorted by node id. */
  latency: z.array(latencySummarySchema),
  eventRates: eventRatesSchema,
  /** The latest end-to-end probe, if one ran. */
  probe: probeResultSchema.nullable(),
});

/**
 * A live update: a full snapshot (first, to each new listener), then deltas holding only the
 * snapshot fields that changed, with the bus events received since the previous update.
 */
export const observerUpdateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), snapshot: clusterSnapshotSchema }),
  z.object({
    type: z.literal('delta'),
    at: epochMs,
    changes: clusterSnapshotSchema.partial(),
    /** Bus events since the previous update, oldest first, at most the observer's cap. */
    events: z.array(observedEventSchema),
    /** Events past the cap, not carried (still counted in the rates). */
    eventsDropped: count,
  }),
]);

/** A query for the paged, searchable list of online users. */
export const presenceUsersQuerySchema = z
  .object({
    /** Case-insensitive substring of the username or id. */
    search: z.string().max(64).optional(),
    page: z.number().int().min(0).max(100_000).default(0),
    perPage: z.number().int().min(1).max(200).default(50),
  })
  .strict();

/** One online user. */
export const presenceUserSchema = z.object({
  id: z.string(),
  /** Null when no Postgres lookup was available or the user is unknown there. */
  username: z.string().nullable(),
  /** Open sockets in the cluster. */
  connections: count,
  /** Nodes holding a socket of the user. */
  nodes: z.array(nodeId),
});

/** One page of online users, sorted by username then id. */
export const presenceUserPageSchema = z.object({
  /** Users matching the search. */
  total: count,
  page: count,
  perPage: count,
  users: z.array(presenceUserSchema),
});

/** A query over the recent events of the stream. */
export const recentEventsQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(1_000).default(100),
    /** Event kinds to keep (`posted`, `typing`…). */
    kinds: z.array(z.string().min(1).max(64)).max(32).optional(),
    /** Origin node id to keep. */
    node: z.string().min(1).max(128).optional(),
    /** Channel id to keep. */
    channel: z.string().min(1).max(64).optional(),
    /** Case-insensitive substring of the envelope's JSON (a plain string, never a regex). */
    pattern: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Recent events matching a query, newest first. */
export const recentEventsSchema = z.object({
  events: z.array(observedEventSchema),
  /** Stream entries read to find them. */
  scanned: count,
  /** Entries that were not a well-formed envelope. */
  malformed: count,
});

/** Whether the observer's last round trip to Redis succeeded. */
export type RedisReachability = z.infer<typeof redisReachabilitySchema>;
/** A registry entry with its heartbeat age. */
export type ObservedNode = z.infer<typeof observedNodeSchema>;
/** The current leader. */
export type LeaderInfo = z.infer<typeof leaderInfoSchema>;
/** Presence at a glance. */
export type PresenceSummary = z.infer<typeof presenceSummarySchema>;
/** Bus event rates. */
export type EventRates = z.infer<typeof eventRatesSchema>;
/** One event read from the bus or its stream. */
export type ObservedEvent = z.infer<typeof observedEventSchema>;
/** The cluster at one moment. */
export type ClusterSnapshot = z.infer<typeof clusterSnapshotSchema>;
/** A live update of the observer. */
export type ObserverUpdate = z.infer<typeof observerUpdateSchema>;
/** A query for online users (input form: defaults optional). */
export type PresenceUsersQuery = z.input<typeof presenceUsersQuerySchema>;
/** One online user. */
export type PresenceUser = z.infer<typeof presenceUserSchema>;
/** One page of online users. */
export type PresenceUserPage = z.infer<typeof presenceUserPageSchema>;
/** A query over recent events (input form: defaults optional). */
export type RecentEventsQuery = z.input<typeof recentEventsQuerySchema>;
/** Recent events matching a query. */
export type RecentEvents = z.infer<typeof recentEventsSchema>;
