import type { ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** Entries the leadership history stream keeps (approximately). @default 1000 */
export const LEADER_HISTORY_MAX_LEN = 1_000;

/** A change in leadership, as the node that saw it records it in the history stream. */
export type LeaderEvent = 'acquired' | 'released' | 'stepped_down';

/** One entry of the leadership history stream. */
export interface LeaderHistoryEntry {
  /** Stream id. */
  id: string;
  event: LeaderEvent;
  nodeId: string;
  epoch: number;
  /** When the node saw the change, epoch ms (its clock). */
  ts: number;
}

const historySchema = z.object({
  event: z.enum(['acquired', 'released', 'stepped_down']),
  nodeId: z.string().min(1),
  epoch: z.coerce.number().int().positive(),
  ts: z.coerce.number().int().nonnegative(),
});

/**
 * Appends one change to the history stream (XADD MAXLEN ~ {@link LEADER_HISTORY_MAX_LEN}).
 * `acquired` and `released` are appended by the lease's own scripts, atomically with the change;
 * this serves `stepped_down`, which a node decides on its own.
 */
export async function appendLeaderHistory(redis: Redis, keys: ClusterKeys, entry: Omit<LeaderHistoryEntry, 'id'>): Promise<string | null> {
  const fields = ['event', entry.event, 'nodeId', entry.nodeId, 'epoch', String(entry.epoch), 'ts', String(entry.ts)];
  return redis.xadd(keys.leaderHistory, 'MAXLEN', '~', LEADER_HISTORY_MAX_LEN, '*', ...fields);
}

/**
 * The latest `count` entries of the leadership history, oldest first (newest last). Malformed
 * entries are skipped.
 * @example const history = await readLeaderHistory(redis, keys, 50);
 */
export async function readLeaderHistory(redis: Redis, keys: ClusterKeys, count: number): Promise<LeaderHistoryEntry[]> {
  const raw = await redis.xrevrange(keys.leaderHistory, '+', '-', 'COUNT', count);
  const entries: LeaderHistoryEntry[] = [];
  for (const [id, flat] of raw.reverse()) {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
    const parsed = historySchema.safeParse(fields);
    if (parsed.success) entries.push({ id, ...parsed.data });
  }
  return entries;
}
