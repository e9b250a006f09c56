/**
 * Bounded, append-only lists for live series and the event stream: the newest `capacity` items,
 * oldest first. Each call returns a new array (zustand and React compare by reference) and never
 * lets a list grow past its capacity, however long the console stays open.
 */

/**
 * `list` with `items` appended, trimmed to the newest `capacity`.
 * @example pushBounded([1, 2, 3], [4, 5], 4) // [2, 3, 4, 5]
 */
export function pushBounded<T>(list: readonly T[], items: readonly T[], capacity: number): T[] {
  if (capacity <= 0) return [];
  if (items.length >= capacity) return items.slice(items.length - capacity);
  const keep = Math.max(0, list.length + items.length - capacity);
  return [...list.slice(keep), ...items];
}

/**
 * A fixed-capacity ring of numbers-over-time keyed by series name: one bounded list per key.
 * @example pushSeries({}, 'n1→n2', { t: 1, p99: 3 }, 600)
 */
export function pushSeries<T>(series: Readonly<Record<string, readonly T[]>>, key: string, item: T, capacity: number): Record<string, T[]> {
  return { ...(series as Record<string, T[]>), [key]: pushBounded(series[key] ?? [], [item], capacity) };
}
