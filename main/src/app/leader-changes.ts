import type { LeaderChange, LeaderInfo, ObserverUpdate } from '@switchboard/shared';

/**
 * Turns the observer's updates into `cluster.onDidChangeLeader` events: the first snapshot sets
 * the baseline, and every later update whose leader differs in node or epoch is one change.
 */

/** The lease holder as the event carries it. */
function holder(leader: LeaderInfo | null): LeaderChange['current'] {
  return leader ? { nodeId: leader.nodeId, epoch: leader.epoch } : null;
}

function same(a: LeaderChange['current'], b: LeaderChange['current']): boolean {
  return a?.nodeId === b?.nodeId && a?.epoch === b?.epoch;
}

/**
 * A listener for observer updates that calls `emit` once per change of leader.
 * @example const stop = observer.subscribe(leaderChangeDetector((change) => fanout.emit(change)));
 */
export function leaderChangeDetector(emit: (change: LeaderChange) => void): (update: ObserverUpdate) => void {
  let known: { leader: LeaderChange['current'] } | undefined;
  return (update) => {
    let leader: LeaderChange['current'];
    let at: number;
    if (update.type === 'snapshot') {
      leader = holder(update.snapshot.leader);
      at = update.snapshot.at;
    } else {
      if (update.changes.leader === undefined) return;
      leader = holder(update.changes.leader);
      at = update.at;
    }
    if (known === undefined) {
      known = { leader };
      return;
    }
    if (same(known.leader, leader)) return;
    const previous = known.leader;
    known = { leader };
    emit({ at, previous, current: leader });
  };
}
