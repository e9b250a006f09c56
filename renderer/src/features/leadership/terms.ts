import type { LeaderChange, LeaderHistoryEntry, LeaderInfo } from '@switchboard/shared';

/**
 * Leadership as terms: who held the lease under which epoch, from when to when, how the term
 * ended, and the gap before the next leader. Built from the history stream (which a dead leader
 * cannot write its end into) and the changes the console witnessed (which can: the lease went
 * vacant at a known moment).
 */

/** How a term ended. */
export type TermEnd = 'released' | 'stepped_down' | 'lease_lost' | 'expired' | 'replaced';

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
  lease_lost: 'lease lost',
  expired: 'leader stopped beating; lease expired',
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

/** How a term ended that its leader did not record: a vacancy seen, its last heartbeat, or unknown. */
function unannouncedEnd(term: LeaderTerm, next: LeaderTerm | undefined, changes: readonly LeaderChange[], lastBeat: number | undefined): Pick<LeaderTerm, 'end' | 'endedBy'> {
  const lost = changes.find((change) => change.previous?.epoch === term.epoch && change.current === null);
  if (lost) return { end: lost.at, endedBy: 'lease_lost' };
  const beatInTerm = lastBeat !== undefined && (term.start === null || lastBeat >= term.start) && (next?.start == null || lastBeat <= next.start);
  if (beatInTerm) return { end: lastBeat, endedBy: 'expired' };
  return { end: null, endedBy: next ? 'replaced' : 'lease_lost' };
}

/**
 * The terms, oldest first, with ends and gaps filled in from what the console saw: a vacancy it
 * witnessed, else the last heartbeat of a leader that died (`lastBeats`, per node id, epoch ms).
 * @example buildTerms(snapshot.leaderHistory, leaderChanges, snapshot.leader, lastBeats)
 */
export function buildTerms(history: readonly LeaderHistoryEntry[], changes: readonly LeaderChange[], current: LeaderInfo | null, lastBeats: Readonly<Record<string, number>> = {}): LeaderTerm[] {
  const terms = startTerms(history, current);
  terms.forEach((term, i) => {
    const next = terms[i + 1];
    if (current && term.epoch === current.epoch && !term.endedBy) {
      term.ongoing = true;
      return;
    }
    if (!term.endedBy) Object.assign(term, unannouncedEnd(term, next, changes, lastBeats[term.nodeId]));
    if (next && term.end !== null && next.start !== null) term.gapAfterMs = Math.max(0, next.start - term.end);
  });
  return terms;
}
