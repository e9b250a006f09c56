import { drillThresholdsSchema, type StepResult } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { checkProbeLog } from './checker.js';
import { decideVerdict, judgeThresholds, stepAt } from './verdict.js';

const steps: StepResult[] = [
  { index: 0, action: 'kill-leader', description: '', startedAt: 1_000, endedAt: 2_000, ok: true, targets: ['n1'], error: null },
  { index: 1, action: 'settle', description: '', startedAt: 2_000, endedAt: 5_000, ok: true, targets: [], error: null },
];

describe('stepAt', () => {
  it('gives the step running, the earlier one when one ends as the next begins', () => {
    expect(stepAt(steps, 500)).toBeNull();
    expect(stepAt(steps, 1_500)).toBe(0);
    expect(stepAt(steps, 2_000)).toBe(0);
    expect(stepAt(steps, 2_001)).toBe(1);
    expect(stepAt(steps, 9_000)).toBe(1);
    expect(stepAt(steps, null)).toBeNull();
  });
});

describe('judgeThresholds and decideVerdict', () => {
  const empty = checkProbeLog({ clients: [], sends: [], receipts: [], baselineEndAt: 0, postingEndedAt: 0, deliveryTimeoutMs: 1_000 });

  it('fails the time-without-leader threshold at the step where the leader was lost', () => {
    const thresholds = judgeThresholds(drillThresholdsSchema.parse({ timeWithoutLeaderMs: 1_500 }), empty, { longestLeaderlessMs: 3_050, longestLeaderlessFrom: 1_800 }, steps);
    const judged = thresholds.find((t) => t.name === 'timeWithoutLeaderMs')!;
    expect(judged).toMatchObject({ pass: false, actual: 3_050, limit: 1_500, failedAtStep: 0 });
    const verdict = decideVerdict(thresholds, [], steps);
    expect(verdict.verdict).toBe('Fail');
    expect(verdict.reason).toContain('threshold timeWithoutLeaderMs: 3050 > 1500 at step 1');
  });

  it('passes when every threshold holds, and fails for a failed step', () => {
    const thresholds = judgeThresholds(drillThresholdsSchema.parse({}), empty, { longestLeaderlessMs: 0, longestLeaderlessFrom: null }, steps);
    expect(thresholds.map((t) => t.name)).toEqual(['lost', 'unexpected']);
    expect(decideVerdict(thresholds, [], steps).verdict).toBe('Pass');
    const failedStep = [{ ...steps[0]!, ok: false, error: 'boom' }];
    expect(decideVerdict(thresholds, [], failedStep)).toMatchObject({ verdict: 'Fail', reason: expect.stringContaining('step 1 (kill-leader) failed: boom') });
  });

  it('judges a minimum threshold (probe success) the other way', () => {
    const thresholds = judgeThresholds(drillThresholdsSchema.parse({ probeSuccessPercent: 99 }), { ...empty, probeSuccessPercent: 90 }, { longestLeaderlessMs: 0, longestLeaderlessFrom: null }, steps);
    expect(thresholds.find((t) => t.name === 'probeSuccessPercent')).toMatchObject({ kind: 'min', pass: false, actual: 90 });
  });
});
