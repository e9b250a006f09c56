import type { LeaderChange, LeaderHistoryEntry, LeaderInfo } from '@switchboard/shared';

/**
 * Leadership as terms: who held the lease under which epoch, from when to when, how the term
 * ended, and the gap before the next leader. Built from the history stream (which a dead leader
 * cannot write its end into) and the changes the console witnessed (which can: the lease went
 * vacant at a known moment).
 */

/** How a term ended. */
export type TermEnd = 'released' | 'stepped_down' | 'lease_lost' | 'replaced';

/** One leader's term. */
export interface LeaderTerm {
  nodeId: string;
  epoch: number;
  /** Null when it began before the history the console can see. */
  start: number | null;
  /** Null while ongoing, or when the end is unknown (a leader that died was replaced). */
  end: number | null;
  ongoing: boolean;
  endedBy: TermEnd | null;
  /** From this term's end to the next one's start, ms; null when either is unknown or it is the last. */
  gapAfterMs: number | null;
}

/** Words for each way a term ends. */
export const TERM_END_LABEL: Record<TermEnd, string> = {
  released: 'released the lease',
  stepped_down: 'stepped down',
  lease_lost: 'lease expired (leader lost)',
  replaced: 'replaced (lease expired)',
};

function startTerms(history: readonly LeaderHistoryEntry[], current: LeaderInfo | null): LeaderTerm[] {
  const terms: LeaderTerm[] = [];
  const byEpoch = new Map<number, LeaderTerm>();
  for (const entry of [...history].sort((a, b) => a.epoch - b.epoch || a.ts - b.ts)) {
    let term = byEpoch.get(entry.epoch);
    if (!term) {
      term = { nodeId: entry.nodeId, epoch: entry.epoch, start: entry.event === 'acquired' ? entry.ts : null, end: null, ongoing: false, endedBy: null, gapAfterMs: null };
      byEpoch.set(entry.epoch, term);
      terms.push(term);
    }
    if (entry.event === 'acquired') term.start ??= entry.ts;
    else {
      term.end = entry.ts;
      term.endedBy = entry.event;
    }
  }
  if (current && !byEpoch.has(current.epoch)) terms.push({ nodeId: current.nodeId, epoch: current.epoch, start: current.since, end: null, ongoing: false, endedBy: null, gapAfterMs: null });
  return terms;
}

/**
 * The terms, oldest first, with ends and gaps filled in from what the console saw.
 * @example buildTerms(snapshot.leaderHistory, leaderChanges, snapshot.leader)
 */
export function buildTerms(history: readonly LeaderHistoryEntry[], changes: readonly LeaderChange[], current: LeaderInfo | null): LeaderTerm[] {
  const terms = startTerms(history, current);
  terms.forEach((term, i) => {
    const next = terms[i + 1];
    if (current && term.epoch === current.epoch && !term.endedBy) {
      term.ongoing = true;
      return;
    }
    if (!term.endedBy) {
      const lost = changes.find((change) => change.previous?.epoch === term.epoch && change.current === null);
      term.end = lost ? lost.at : null;
      term.endedBy = lost ? 'lease_lost' : next ? 'replaced' : 'lease_lost';
    }
    if (next && term.end !== null && next.start !== null) term.gapAfterMs = Math.max(0, next.start - term.end);
  });
  return terms;
}
