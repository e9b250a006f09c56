import type { LeaderHistoryEntry } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { buildTerms } from './terms.js';

let n = 0;
const entry = (event: LeaderHistoryEntry['event'], nodeId: string, epoch: number, ts: number): LeaderHistoryEntry => ({ id: `${ts}-${(n += 1)}`, event, nodeId, epoch, ts });

describe('buildTerms', () => {
  it('builds terms with ends and gaps from the history', () => {
    const terms = buildTerms([entry('acquired', 'n1', 1, 1_000), entry('released', 'n1', 1, 5_000), entry('acquired', 'n2', 2, 5_300)], [], { nodeId: 'n2', epoch: 2, since: 5_300 });
    expect(terms).toEqual([
      { nodeId: 'n1', epoch: 1, start: 1_000, end: 5_000, ongoing: false, endedBy: 'released', gapAfterMs: 300 },
      { nodeId: 'n2', epoch: 2, start: 5_300, end: null, ongoing: true, endedBy: null, gapAfterMs: null },
    ]);
  });

  it('takes the end of a dead leader from the vacancy the console saw', () => {
    const terms = buildTerms(
      [entry('acquired', 'n1', 1, 1_000), entry('acquired', 'n2', 2, 9_000)],
      [{ at: 7_000, previous: { nodeId: 'n1', epoch: 1 }, current: null }],
      { nodeId: 'n2', epoch: 2, since: 9_000 },
    );
    expect(terms[0]).toMatchObject({ end: 7_000, endedBy: 'lease_lost', gapAfterMs: 2_000 });
  });

  it('ends the term of a leader that died at its last heartbeat', () => {
    const history = [entry('acquired', 'n1', 1, 1_000), entry('acquired', 'n2', 2, 9_000)];
    const terms = buildTerms(history, [], { nodeId: 'n2', epoch: 2, since: 9_000 }, { n1: 5_500, n2: 9_900 });
    expect(terms[0]).toMatchObject({ end: 5_500, endedBy: 'expired', gapAfterMs: 3_500 });
    // A heartbeat after the next term began means the old leader lived on: its end is unknown.
    expect(buildTerms(history, [], { nodeId: 'n2', epoch: 2, since: 9_000 }, { n1: 9_500 })[0]).toMatchObject({ end: null, endedBy: 'replaced' });
  });

  it('says a leader was replaced when nobody saw the vacancy', () => {
    const terms = buildTerms([entry('acquired', 'n1', 1, 1_000), entry('acquired', 'n2', 2, 9_000)], [], { nodeId: 'n2', epoch: 2, since: 9_000 });
    expect(terms[0]).toMatchObject({ end: null, endedBy: 'replaced', gapAfterMs: null });
  });

  it('shows the current leader even when its acquisition was trimmed from the history', () => {
    expect(buildTerms([], [], { nodeId: 'n3', epoch: 7, since: null })).toEqual([{ nodeId: 'n3', epoch: 7, start: null, end: null, ongoing: true, endedBy: null, gapAfterMs: null }]);
  });

  it('ends the last term when there is no leader now', () => {
    const terms = buildTerms([entry('acquired', 'n1', 1, 1_000)], [{ at: 3_000, previous: { nodeId: 'n1', epoch: 1 }, current: null }], null);
    expect(terms[0]).toMatchObject({ ongoing: false, end: 3_000, endedBy: 'lease_lost' });
  });
});
