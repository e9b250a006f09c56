import { parseLeaderHistoryEntry, type ClusterKeys, type LeaderHistoryEntry } from '@switchboard/shared';
import type { Redis } from 'ioredis';

export type { LeaderEvent, LeaderHistoryEntry } from '@switchboard/shared';

/** Entries the leadership history stream keeps (approximately). @default 1000 */
export const LEADER_HISTORY_MAX_LEN = 1_000;

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
    const entry = parseLeaderHistoryEntry(id, flat);
    if (entry) entries.push(entry);
  }
  return entries;
}
