import {
  parseLatencySummary,
  parseLeaderHistoryEntry,
  parseLeaderHolder,
  parseRegistryEntry,
  type ClusterKeys,
  type LatencySummary,
  type LeaderHistoryEntry,
  type LeaderInfo,
  type ObservedNode,
  type PresenceSummary,
} from '@switchboard/shared';
import type { Redis } from 'ioredis';

/** Keys read per SCAN step. @default 1000 */
export const OBSERVER_SCAN_BATCH = 1_000;

/** What one poll reads from Redis. */
export interface ClusterState {
  /** Redis's own clock at the poll, epoch ms: heartbeat ages are measured against it. */
  redisTime: number;
  nodes: ObservedNode[];
  leader: LeaderInfo | null;
  leaderHistory: LeaderHistoryEntry[];
  presence: PresenceSummary;
  latency: LatencySummary[];
}

/** The cluster's keys by role, found with one SCAN over the cluster's prefix. */
interface FoundKeys {
  nodes: string[];
  presenceNodes: string[];
  latency: string[];
}

/**
 * One SCAN pass over `sb:{cluster}:*`, sorting the keys the observer reads by role (one pass
 * rather than three, since every SCAN walks the whole keyspace whatever its MATCH).
 */
export async function scanClusterKeys(redis: Redis, keys: ClusterKeys): Promise<FoundKeys> {
  const found: FoundKeys = { nodes: [], presenceNodes: [], latency: [] };
  const nodePrefix = keys.node('');
  const presencePrefix = keys.presenceNode('');
  const latencyPrefix = keys.latency('');
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', OBSERVER_SCAN_BATCH);
    cursor = next;
    for (const key of batch) {
      if (key.startsWith(nodePrefix)) found.nodes.push(key);
      else if (key.startsWith(presencePrefix)) found.presenceNodes.push(key);
      else if (key.startsWith(latencyPrefix)) found.latency.push(key);
    }
  } while (cursor !== '0');
  // SCAN may return a key twice.
  return { nodes: [...new Set(found.nodes)].sort(), presenceNodes: [...new Set(found.presenceNodes)].sort(), latency: [...new Set(found.latency)].sort() };
}

/**
 * Reads the registry, the leader and its history, presence and latency in one SCAN and one
 * pipeline. Malformed values are skipped, as the nodes' own readers do.
 * @example const state = await readClusterState(redis, clusterKeys('prod'), 20);
 */
export async function readClusterState(redis: Redis, keys: ClusterKeys, historyCount: number): Promise<ClusterState> {
  const found = await scanClusterKeys(redis, keys);
  const pipeline = redis.pipeline();
  pipeline.time();
  pipeline.get(keys.leader);
  pipeline.xrevrange(keys.leaderHistory, '+', '-', 'COUNT', historyCount);
  pipeline.hlen(keys.presenceUsers);
  if (found.nodes.length > 0) pipeline.mget(found.nodes);
  if (found.latency.length > 0) pipeline.mget(found.latency);
  for (const key of found.presenceNodes) pipeline.hvals(key);
  const replies = (await pipeline.exec()) ?? [];
  const results = replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  const [time, leaderRaw, historyRaw, usersOnline] = results as [[string, string], string | null, Array<[string, string[]]>, number];
  let at = 4;
  const nodeValues = found.nodes.length > 0 ? (results[at++] as Array<string | null>) : [];
  const latencyValues = found.latency.length > 0 ? (results[at++] as Array<string | null>) : [];
  const presenceValues = results.slice(at) as string[][];
  const redisTime = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
  const leaderHistory = historyRaw
    .reverse()
    .map(([id, flat]) => parseLeaderHistoryEntry(id, flat))
    .filter((entry): entry is LeaderHistoryEntry => entry !== undefined);
  return {
    redisTime,
    nodes: toNodes(nodeValues, redisTime),
    leader: toLeader(leaderRaw, leaderHistory),
    leaderHistory,
    presence: toPresence(found.presenceNodes, presenceValues, keys, Number(usersOnline)),
    latency: toLatency(found.latency, latencyValues, keys),
  };
}

function toNodes(values: Array<string | null>, redisTime: number): ObservedNode[] {
  const nodes: ObservedNode[] = [];
  for (const raw of values) {
    const entry = raw === null ? undefined : parseRegistryEntry(raw);
    if (entry) nodes.push({ ...entry, heartbeatAgeMs: Math.max(0, redisTime - entry.lastBeat) });
  }
  return nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The holder with the time it acquired the lease, from the latest matching `acquired` entry. */
function toLeader(raw: string | null, history: LeaderHistoryEntry[]): LeaderInfo | null {
  const holder = parseLeaderHolder(raw);
  if (!holder) return null;
  const acquired = history.findLast((entry) => entry.event === 'acquired' && entry.nodeId === holder.nodeId && entry.epoch === holder.epoch);
  return { nodeId: holder.nodeId, epoch: holder.epoch, since: acquired?.ts ?? null };
}

function toPresence(presenceKeys: string[], values: string[][], keys: ClusterKeys, usersOnline: number): PresenceSummary {
  const prefix = keys.presenceNode('');
  const perNode = presenceKeys.map((key, i) => {
    const counts = (values[i] ?? []).map(Number).filter((n) => n > 0);
    return { nodeId: key.slice(prefix.length), users: counts.length, connections: counts.reduce((a, b) => a + b, 0) };
  });
  return { usersOnline, connections: perNode.reduce((sum, node) => sum + node.connections, 0), perNode };
}

function toLatency(latencyKeys: string[], values: Array<string | null>, keys: ClusterKeys): LatencySummary[] {
  const summaries: LatencySummary[] = [];
  values.forEach((raw, i) => {
    const summary = parseLatencySummary(raw);
    // A summary filed under another node's key is not trusted.
    if (summary && keys.latency(summary.nodeId) === latencyKeys[i]) summaries.push(summary);
  });
  return summaries.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}
