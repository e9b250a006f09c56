import { z } from 'zod';

/** Changes in leadership the history stream records. */
export const LEADER_EVENTS = ['acquired', 'released', 'stepped_down'] as const;

/** A change in leadership, as the node that saw it records it in the history stream. */
export type LeaderEvent = (typeof LEADER_EVENTS)[number];

/** The value of the `leader` key: who holds the lease, and its fencing epoch. */
export const leaderHolderSchema = z.object({ nodeId: z.string().min(1), epoch: z.number().int().positive() });

/** Who holds the leader lease. */
export type LeaderHolder = z.infer<typeof leaderHolderSchema>;

/**
 * The `leader` key's value as read from Redis: the holder, or undefined when nobody holds the
 * lease or the value is malformed.
 * @example const holder = parseLeaderHolder(await redis.get(keys.leader));
 */
export function parseLeaderHolder(raw: string | null): LeaderHolder | undefined {
  if (raw === null) return undefined;
  try {
    const parsed = leaderHolderSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** One entry of the leadership history stream, as plain JSON. */
export const leaderHistoryEntrySchema = z.object({
  /** Stream id. */
  id: z.string().regex(/^\d+-\d+$/),
  event: z.enum(LEADER_EVENTS),
  nodeId: z.string().min(1),
  epoch: z.number().int().positive(),
  /** When the node saw the change, epoch ms (its clock). */
  ts: z.number().int().nonnegative(),
});

/** One entry of the leadership history stream. */
export type LeaderHistoryEntry = z.infer<typeof leaderHistoryEntrySchema>;

/** The stream's fields are strings: numbers are coerced. */
const historyFieldsSchema = z.object({
  event: z.enum(LEADER_EVENTS),
  nodeId: z.string().min(1),
  epoch: z.coerce.number().int().positive(),
  ts: z.coerce.number().int().nonnegative(),
});

/**
 * One stream entry of the leadership history (`[id, [field, value, …]]` as XRANGE returns it),
 * or undefined when it is malformed.
 * @example const entries = raw.map(([id, flat]) => parseLeaderHistoryEntry(id, flat)).filter(Boolean);
 */
export function parseLeaderHistoryEntry(id: string, flat: readonly string[]): LeaderHistoryEntry | undefined {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  const parsed = historyFieldsSchema.safeParse(fields);
  return parsed.success ? { id, ...parsed.data } : undefined;
}
