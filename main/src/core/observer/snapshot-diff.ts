import type { ClusterSnapshot } from '@switchboard/shared';

/** Fields that change on their own at every read and say nothing new by themselves. */
const IGNORED: ReadonlySet<keyof ClusterSnapshot> = new Set(['at']);

/**
 * The fields of `next` that differ from `previous` (deep, by their JSON), for a delta update;
 * every field when there is no previous snapshot. `at` alone is never a change.
 * @example const changes = diffSnapshot(lastSent, current); if (Object.keys(changes).length) send(changes);
 */
export function diffSnapshot(previous: ClusterSnapshot | undefined, next: ClusterSnapshot): Partial<ClusterSnapshot> {
  const changes: Partial<ClusterSnapshot> = {};
  for (const key of Object.keys(next) as Array<keyof ClusterSnapshot>) {
    if (IGNORED.has(key)) continue;
    if (previous === undefined || JSON.stringify(previous[key]) !== JSON.stringify(next[key])) {
      (changes as Record<string, unknown>)[key] = next[key];
    }
  }
  return changes;
}
