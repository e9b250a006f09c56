import { createHmac, timingSafeEqual } from 'node:crypto';
import { openFrameUnverified, recentEventsQuerySchema, type ClusterKeys, type ObservedEvent, type RecentEvents, type RecentEventsQuery } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { parseInput } from './parse-input.js';

/** Stream entries read per XREVRANGE while looking for matching events. @default 500 */
export const RECENT_EVENTS_BATCH = 500;

/** Most stream entries one {@link readRecentEvents} call reads, matches or not. @default 20000 */
export const RECENT_EVENTS_SCAN_LIMIT = 20_000;

/**
 * Opens one signed frame of the bus or stream for display. Without the cluster secret the
 * envelope is read unverified (`verified: false`); with it, the HMAC-SHA256 is checked in
 * constant time and `verified` says whether it matched. Undefined when the frame is malformed.
 * @example toObservedEvent('1700000000000-0', frame, secret)?.verified
 */
export function toObservedEvent(streamId: string, frame: string, secret?: string): ObservedEvent | undefined {
  const opened = openFrameUnverified(frame);
  if (!opened) return undefined;
  const { envelope } = opened;
  return {
    streamId,
    id: envelope.id,
    kind: envelope.kind,
    origin: envelope.origin,
    originSeq: envelope.originSeq,
    ts: Math.floor(envelope.ts),
    channelId: envelope.broadcast.channel_id,
    teamId: envelope.broadcast.team_id,
    userId: envelope.broadcast.user_id,
    data: envelope.data,
    verified: secret !== undefined && signatureMatches(secret, opened.payload, opened.signature),
  };
}

function signatureMatches(secret: string, payload: string, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(payload).digest();
  const actual = Buffer.from(signature, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether an event passes a query's filters (`pattern` is matched against the envelope's JSON). */
function matches(event: ObservedEvent, payload: string, query: ReturnType<typeof recentEventsQuerySchema.parse>): boolean {
  if (query.kinds && !query.kinds.includes(event.kind)) return false;
  if (query.node !== undefined && event.origin !== query.node) return false;
  if (query.channel !== undefined && event.channelId !== query.channel) return false;
  if (query.pattern !== undefined && !payload.toLowerCase().includes(query.pattern.toLowerCase())) return false;
  return true;
}

/**
 * The latest events of the cluster's stream matching a query, newest first: reads backwards in
 * batches until `limit` match or {@link RECENT_EVENTS_SCAN_LIMIT} entries were read. Throws
 * `console.invalid_argument` for a bad query; Redis errors are thrown as they come.
 * @example await readRecentEvents(redis, keys, { limit: 20, kinds: ['posted'] })
 */
export async function readRecentEvents(redis: Redis, keys: ClusterKeys, input: RecentEventsQuery, secret?: string): Promise<RecentEvents> {
  const query = parseInput(recentEventsQuerySchema, input, 'recentEvents');
  const events: ObservedEvent[] = [];
  let scanned = 0;
  let malformed = 0;
  let end = '+';
  while (events.length < query.limit && scanned < RECENT_EVENTS_SCAN_LIMIT) {
    const count = Math.min(RECENT_EVENTS_BATCH, RECENT_EVENTS_SCAN_LIMIT - scanned);
    const batch = (await redis.xrevrange(keys.stream, end, '-', 'COUNT', count)) as Array<[string, string[]]>;
    for (const [streamId, fields] of batch) {
      scanned += 1;
      const frame = fieldValue(fields, 'm');
      const event = frame === undefined ? undefined : toObservedEvent(streamId, frame, secret);
      if (!event) malformed += 1;
      else if (matches(event, frame!.slice(frame!.indexOf('.') + 1), query)) events.push(event);
      if (events.length >= query.limit) break;
    }
    if (batch.length < count) break;
    end = `(${batch[batch.length - 1]![0]}`;
  }
  return { events, scanned, malformed };
}

function fieldValue(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
