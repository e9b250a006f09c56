import { hypothesisCheckSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { evaluateCheck, HypothesisTracker, type SteadyStateView } from './hypothesis.js';

const view = (over: Partial<SteadyStateView> = {}): SteadyStateView => ({ now: 0, leader: 'n1', activeNodes: 3, initialNodes: 3, latencies: () => [10, 20, 30], overdue: 0, ...over });
const check = (input: unknown) => hypothesisCheckSchema.parse(input);

describe('evaluateCheck', () => {
  it('judges each kind of check', () => {
    expect(evaluateCheck(check({ check: 'one-leader' }), view()).ok).toBe(true);
    expect(evaluateCheck(check({ check: 'one-leader' }), view({ leader: null }))).toEqual({ ok: false, detail: 'no live leader' });
    expect(evaluateCheck(check({ check: 'nodes-active' }), view({ activeNodes: 2 })).ok).toBe(false);
    expect(evaluateCheck(check({ check: 'nodes-active', min: 2 }), view({ activeNodes: 2 })).ok).toBe(true);
    expect(evaluateCheck(check({ check: 'delivery-p99', maxMs: 25 }), view()).ok).toBe(false);
    expect(evaluateCheck(check({ check: 'delivery-p99', maxMs: 30 }), view()).ok).toBe(true);
    expect(evaluateCheck(check({ check: 'delivery-p99', maxMs: 1 }), view({ latencies: () => [] })).ok).toBe(true);
    expect(evaluateCheck(check({ check: 'no-loss' }), view({ overdue: 2 }))).toEqual({ ok: false, detail: '2 acknowledged posts overdue' });
  });
});

describe('HypothesisTracker', () => {
  it('passes a check that fails during the fault for less than its tolerance', () => {
    const tracker = new HypothesisTracker([check({ check: 'one-leader', toleranceMs: 3_000 })]);
    expect(tracker.before(view())).toEqual([]);
    expect(tracker.during(view({ now: 1_000, leader: null })).started).toHaveLength(1);
    expect(tracker.during(view({ now: 2_000, leader: null })).worstRun).toBe(2);
    expect(tracker.during(view({ now: 3_000 })).recovered).toEqual(['one-leader']);
    tracker.after(view({ now: 5_000 }));
    expect(tracker.results(() => 0)[0]).toMatchObject({ before: true, during: true, after: true, pass: true, longestFailingMs: 2_000, failedAtStep: null });
  });

  it('fails a check that stays failing past its tolerance, naming the step', () => {
    const tracker = new HypothesisTracker([check({ check: 'one-leader', toleranceMs: 1_000 })]);
    tracker.before(view());
    tracker.during(view({ now: 1_000, leader: null }));
    tracker.during(view({ now: 4_000, leader: null }));
    tracker.after(view({ now: 5_000 }));
    expect(tracker.results((at) => (at === 1_000 ? 2 : null))[0]).toMatchObject({ during: false, pass: false, longestFailingMs: 4_000, failedAtStep: 2 });
  });

  it('reports a check failing before the fault and one failing after', () => {
    const tracker = new HypothesisTracker([check({ check: 'one-leader' }), check({ check: 'no-loss' })]);
    expect(tracker.before(view({ leader: null })).map((entry) => entry.check)).toEqual(['one-leader']);
    tracker.after(view({ overdue: 1 }));
    const [leader, loss] = tracker.results(() => null);
    expect(leader).toMatchObject({ before: false, pass: false, detail: 'failed before the fault' });
    expect(loss).toMatchObject({ before: true, after: false, pass: false });
  });
});
