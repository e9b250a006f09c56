import { describe, expect, it } from 'vitest';
import { drillEventSchema, drillScenarioSchema, radiusCount, validateScenarioValue } from '../index.js';

describe('drill scenario schema', () => {
  it('applies defaults to a minimal scenario', () => {
    const result = validateScenarioValue({ name: 'mine', steps: [{ action: 'kill-leader' }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.probes).toMatchObject({ ratePerSecond: 2, clients: 'per-node', resume: true, backfill: true });
    expect(result.scenario.thresholds).toMatchObject({ lost: 0, unexpected: 0 });
    expect(result.scenario.abort.timeLimitMs).toBe(600_000);
    expect(result.scenario.hypothesis.map((check) => check.check)).toEqual(['one-leader', 'no-loss']);
  });

  it('names every wrong field with its path', () => {
    const result = validateScenarioValue({
      name: 'Bad Name',
      steps: [{ action: 'kill-nodes', target: { radius: { percent: 150 } } }, { action: 'explode' }],
      thresholds: { lost: -1 },
      extra: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'steps.0.target.radius.percent', 'steps.1.action', 'thresholds.lost', '(scenario)']));
  });

  it('refuses a scenario without steps', () => {
    expect(drillScenarioSchema.safeParse({ name: 'empty', steps: [] }).success).toBe(false);
  });

  it('counts a blast radius: one, N, a percentage rounded up, all', () => {
    expect(radiusCount('one', 5)).toBe(1);
    expect(radiusCount({ count: 2 }, 5)).toBe(2);
    expect(radiusCount({ count: 9 }, 3)).toBe(3);
    expect(radiusCount({ percent: 50 }, 3)).toBe(2);
    expect(radiusCount({ percent: 1 }, 3)).toBe(1);
    expect(radiusCount('all', 4)).toBe(4);
    expect(radiusCount('one', 0)).toBe(0);
  });

  it('parses live events and refuses an unknown type', () => {
    expect(drillEventSchema.safeParse({ type: 'phase', runId: 'r', at: 1, phase: 'steps' }).success).toBe(true);
    expect(drillEventSchema.safeParse({ type: 'explosion', runId: 'r' }).success).toBe(false);
  });
});
