import type { ClusterSnapshot, LeaderChange, ObserverUpdate } from '@switchboard/shared';

/**
 * Folding the observer's live updates into the snapshot the views read: a snapshot replaces
 * everything, a delta replaces only the fields it carries, a leader change moves the leader at
 * once (it may arrive before the next delta).
 */

/**
 * The snapshot after `update`; undefined when a delta arrives before any snapshot (the caller
 * then asks for a fresh one).
 * @example const next = applyUpdate(previous, { type: 'delta', at, changes: { redis: 'unreachable' }, events: [], eventsDropped: 0 });
 */
export function applyUpdate(previous: ClusterSnapshot | undefined, update: ObserverUpdate): ClusterSnapshot | undefined {
  if (update.type === 'snapshot') return update.snapshot;
  if (!previous) return undefined;
  const changes = Object.fromEntries(Object.entries(update.changes).filter(([, value]) => value !== undefined));
  return { ...previous, ...changes, at: update.at };
}

/**
 * The snapshot with the leader a leadership change announced (`since` is the change's time
 * unless the same holder was already known).
 */
export function applyLeaderChange(previous: ClusterSnapshot | undefined, change: LeaderChange): ClusterSnapshot | undefined {
  if (!previous) return undefined;
  const current = change.current;
  if (!current) return { ...previous, leader: null };
  const same = previous.leader?.nodeId === current.nodeId && previous.leader.epoch === current.epoch;
  return { ...previous, leader: same ? previous.leader : { nodeId: current.nodeId, epoch: current.epoch, since: change.at } };
}
