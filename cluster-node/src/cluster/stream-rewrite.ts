import type { ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { compareStreamIds } from './dedupe.js';

/** How long the rewritten mark stays: as long as a resume checkpoint can be used. @default 120000 */
export const REWRITTEN_MARK_MS = 120_000;

/** Raises the mark to ARGV[1] unless it is already at or past it (stream ids compared as numbers). */
const MARK_LUA = `
local function parse(id) local ms, seq = string.match(id, '^(%d+)-(%d+)$'); return tonumber(ms), tonumber(seq) end
local cur = redis.call('GET', KEYS[1])
if cur then
  local cms, cseq = parse(cur)
  local nms, nseq = parse(ARGV[1])
  if cms > nms or (cms == nms and cseq >= nseq) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Marks the stream as rewritten up to its current end: a failover lost entries (some published
 * again further on), so resume checkpoints before this point no longer number the stream as the
 * client saw it and are refused (the client backfills). The mark only moves forward.
 */
export async function markStreamRewritten(redis: Redis, keys: ClusterKeys): Promise<void> {
  const [last] = (await redis.xrevrange(keys.stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  if (last) await redis.eval(MARK_LUA, 1, keys.streamRewritten, last[0], REWRITTEN_MARK_MS);
}

/**
 * Whether `position` (an entry this node had) is gone from the stream though the stream reaches
 * back past it: a failover lost it. Receivers see this even when its origin died and cannot
 * publish it again.
 */
export async function positionLost(redis: Redis, keys: ClusterKeys, position: string): Promise<boolean> {
  const [kept] = (await redis.xrange(keys.stream, position, position)) as Array<[string, string[]]>;
  if (kept) return false;
  const [oldest] = (await redis.xrange(keys.stream, '-', '+', 'COUNT', 1)) as Array<[string, string[]]>;
  return oldest !== undefined && compareStreamIds(oldest[0], position) < 0;
}
