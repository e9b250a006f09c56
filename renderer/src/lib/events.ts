import type { ObservedEvent } from '@switchboard/shared';

/**
 * The live event stream's pure pieces: ordering by stream id, merging without duplicates,
 * filtering by kind, node, channel and a pattern, and rates per origin node.
 */

/**
 * Compares Redis stream ids (`ms-seq`) numerically.
 * @example compareStreamIds('10-0', '9-5') > 0
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/** `events` plus `incoming` without duplicates (by stream id), oldest first. */
export function mergeEvents(events: readonly ObservedEvent[], incoming: readonly ObservedEvent[]): ObservedEvent[] {
  const seen = new Set(events.map((event) => event.streamId));
  const fresh = incoming.filter((event) => !seen.has(event.streamId) && (seen.add(event.streamId), true));
  if (fresh.length === 0) return events as ObservedEvent[];
  const last = events.at(-1);
  const merged = [...events, ...fresh];
  // Live events arrive in order; only a seeded history or a reconnect can interleave.
  if (last && fresh.some((event) => compareStreamIds(event.streamId, last.streamId) < 0)) merged.sort((a, b) => compareStreamIds(a.streamId, b.streamId));
  return merged;
}

/** What the operator filters the stream by; empty fields keep everything. */
export interface EventFilter {
  kinds: readonly string[];
  node: string;
  channel: string;
  /** Case-insensitive substring of the event as JSON. */
  pattern: string;
}

/** No filter. */
export const NO_FILTER: EventFilter = { kinds: [], node: '', channel: '', pattern: '' };

/**
 * Whether `event` passes `filter`.
 * @example matchesFilter(event, { ...NO_FILTER, kinds: ['posted'] })
 */
export function matchesFilter(event: ObservedEvent, filter: EventFilter): boolean {
  if (filter.kinds.length > 0 && !filter.kinds.includes(event.kind)) return false;
  if (filter.node && event.origin !== filter.node) return false;
  if (filter.channel && !event.channelId.includes(filter.channel.trim())) return false;
  const pattern = filter.pattern.trim().toLowerCase();
  return !pattern || JSON.stringify(event).toLowerCase().includes(pattern);
}

/** Events passing `filter`, newest first. */
export function filterNewestFirst(events: readonly ObservedEvent[], filter: EventFilter): ObservedEvent[] {
  const kept: ObservedEvent[] = [];
  for (let i = events.length - 1; i >= 0; i -= 1) if (matchesFilter(events[i]!, filter)) kept.push(events[i]!);
  return kept;
}

/** `counts` plus one for each event's kind. */
export function countKinds(counts: Readonly<Record<string, number>>, events: readonly ObservedEvent[]): Record<string, number> {
  const next = { ...counts };
  for (const event of events) next[event.kind] = (next[event.kind] ?? 0) + 1;
  return next;
}

/** Events per second each origin published over the last `windowMs` before `now`. */
export function ratesPerOrigin(events: readonly ObservedEvent[], now: number, windowMs = 10_000): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i]!;
    if (event.ts < now - windowMs) break;
    counts[event.origin] = (counts[event.origin] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([origin, count]) => [origin, count / (windowMs / 1_000)]));
}
