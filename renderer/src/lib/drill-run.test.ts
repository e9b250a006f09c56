import type { DrillEvent, DrillProgress, DrillSample } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { applyDrillProgress, LIVE_SAMPLES_CAPACITY, replayDrill, runProgress, type LiveRun } from './drill-run.js';

const RUN = 'r1';
let seq = 0;
const progress = (event: DrillEvent, runId = RUN, at = seq++): DrillProgress => ({ runId, seq: at, event });
const started = (runId = RUN): DrillEvent => ({
  type: 'run-started', runId, scenario: 'kill-leader', profile: 'local', at: 1_000, nodes: ['n1', 'n2', 'n3'],
  steps: [{ index: 0, action: 'kill-leader', description: 'kill the leader' }, { index: 1, action: 'start-stopped', description: 'start it again' }],
});
const sample = (at: number): DrillSample => ({
  at, latencyP50Ms: 2, latencyP99Ms: 5, latencyMaxMs: 6, postsPerSecond: 6, deliveriesPerSecond: 12, errorsPerSecond: 0,
  nodesActive: 3, nodesDraining: 0, nodesDown: 0, leader: 'n1', clientsConnected: 3, nodes: { n1: 'active', n2: 'active', n3: 'active' },
});

function fold(events: DrillProgress[], from: LiveRun | null = null): LiveRun {
  return events.reduce<LiveRun | null>((run, p) => applyDrillProgress(run, p), from)!;
}

describe('applyDrillProgress', () => {
  it('follows steps from pending to running to done, marks, samples and the verdict', () => {
    seq = 0;
    const run = fold([
      progress(started()),
      progress({ type: 'phase', runId: RUN, at: 1_100, phase: 'steps' }),
      progress({ type: 'step-started', runId: RUN, at: 2_000, index: 0, action: 'kill-leader', description: 'kill the leader' }),
    ]);
    expect(run.steps.map((step) => step.state)).toEqual(['running', 'pending']);
    expect(runProgress(run)).toEqual({ done: 0, total: 2, finished: false });
    const later = fold(
      [
        progress({ type: 'step-finished', runId: RUN, at: 2_100, step: { index: 0, action: 'kill-leader', description: 'kill the leader', startedAt: 2_000, endedAt: 2_100, ok: true, targets: ['n1'], error: null } }),
        progress({ type: 'mark', runId: RUN, mark: { at: 2_050, kind: 'leader-lost', step: 0, node: 'n1', detail: 'n1 lost the lease' } }),
        progress({ type: 'sample', runId: RUN, sample: sample(3_000) }),
        progress({ type: 'verdict', runId: RUN, at: 9_000, verdict: 'Pass', reason: 'ok', lost: 0, unexpected: 0, recovered: 1, reordered: 0, thresholds: [] }),
      ],
      run,
    );
    expect(later.steps[0]).toMatchObject({ state: 'ok', targets: ['n1'], endedAt: 2_100 });
    expect(later.marks.map((mark) => mark.kind)).toEqual(['leader-lost']);
    expect(later.samples).toHaveLength(1);
    expect(later.verdict).toMatchObject({ verdict: 'Pass', recovered: 1 });
    expect(later.phase).toBe('done');
    expect(runProgress(later)).toEqual({ done: 1, total: 2, finished: true });
  });

  it('ignores an event it already has, and starts over for another run', () => {
    seq = 0;
    const first = progress(started());
    const run = fold([first, progress({ type: 'phase', runId: RUN, at: 1, phase: 'baseline' })]);
    expect(applyDrillProgress(run, first)).toBe(run);
    const next = applyDrillProgress(run, progress(started('r2'), 'r2', 0));
    expect([next.runId, next.phase, next.lastSeq, next.complete]).toEqual(['r2', null, 0, true]);
  });

  it('keeps a step it had not heard of (joined mid-run) and bounds the samples', () => {
    seq = 0;
    let run = fold([progress({ type: 'step-started', runId: RUN, at: 5, index: 3, action: 'wait', description: 'wait 1 s' })]);
    expect(run.steps).toEqual([expect.objectContaining({ index: 3, state: 'running' })]);
    for (let i = 0; i < LIVE_SAMPLES_CAPACITY + 10; i += 1) run = applyDrillProgress(run, progress({ type: 'sample', runId: RUN, sample: sample(i) }));
    expect(run.samples).toHaveLength(LIVE_SAMPLES_CAPACITY);
    expect(run.samples[0]!.at).toBe(10);
  });
});

describe('replayDrill', () => {
  it('rebuilds a run joined mid-way from the replay, keeping what was heard since', () => {
    seq = 0;
    const events = [
      progress(started()),
      progress({ type: 'step-started', runId: RUN, at: 2_000, index: 0, action: 'kill-leader', description: 'kill the leader' }),
      progress({ type: 'sample', runId: RUN, sample: sample(3_000) }),
      progress({ type: 'sample', runId: RUN, sample: sample(4_000) }),
    ];
    // The page (re)loaded during the run: the live stream starts with the third event.
    const joined = fold(events.slice(2));
    expect([joined.complete, joined.steps, joined.samples.length]).toEqual([false, [], 2]);
    // The replay was taken before the fourth event (whichever way the two crossed).
    const replayed = replayDrill(joined, RUN, events.slice(0, 3));
    expect(replayed.complete).toBe(true);
    expect(replayed.scenario).toBe('kill-leader');
    expect(replayed.steps.map((step) => step.state)).toEqual(['running', 'pending']);
    expect(replayed.samples.map((s) => s.at)).toEqual([3_000, 4_000]);
    expect(replayed.pending).toEqual([]);
    // Later live events fold in as usual.
    expect(applyDrillProgress(replayed, progress({ type: 'sample', runId: RUN, sample: sample(5_000) })).samples).toHaveLength(3);
  });

  it('takes only the events newer than those the view has', () => {
    seq = 0;
    const events = [progress(started()), progress({ type: 'mark', runId: RUN, mark: { at: 1, kind: 'step-sent', step: 0, detail: 'x' } }), progress({ type: 'mark', runId: RUN, mark: { at: 2, kind: 'node-gone', step: 0, detail: 'y' } })];
    const partial = fold(events.slice(0, 2));
    const replayed = replayDrill(partial, RUN, events);
    expect(replayed.marks.map((mark) => mark.kind)).toEqual(['step-sent', 'node-gone']);
    expect(replayDrill(null, RUN, events).marks).toHaveLength(2);
  });
});
