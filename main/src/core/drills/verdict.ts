import type { DrillThresholds, HypothesisResult, StepResult, ThresholdResult } from '@switchboard/shared';
import type { CheckerResult } from './checker.js';

/** What thresholds are judged on besides the checker: leadership. */
export interface LeadershipFigures {
  /** Longest continuous time without a live leader, ms. */
  longestLeaderlessMs: number;
  /** When that interval started (null: never). */
  longestLeaderlessFrom: number | null;
}

/**
 * The step running at `at`: the first whose [startedAt, endedAt] holds it (a step ends in the
 * same millisecond the next begins: the earlier one wins), else the last one started before it
 * (null before the first).
 * @example stepAt(steps, Date.now())
 */
export function stepAt(steps: readonly Pick<StepResult, 'index' | 'startedAt' | 'endedAt'>[], at: number | null): number | null {
  if (at === null) return null;
  let found: number | null = null;
  for (const step of steps) {
    if (step.startedAt > at) break;
    if (step.endedAt === null || at <= step.endedAt) return step.index;
    found = step.index;
  }
  return found;
}

/**
 * Each threshold the scenario sets, judged: its limit, the actual figure, pass or fail, and the
 * step during which it first went past its limit.
 */
export function judgeThresholds(thresholds: DrillThresholds, result: CheckerResult, leadership: LeadershipFigures, steps: readonly StepResult[]): ThresholdResult[] {
  const judged: ThresholdResult[] = [];
  const max = (name: string, limit: number | undefined, actual: number | null, firstAt: number | null, detail: string) => {
    if (limit === undefined) return;
    const pass = actual === null || actual <= limit;
    judged.push({ name, kind: 'max', limit, actual, pass, failedAtStep: pass ? null : stepAt(steps, firstAt), detail });
  };
  const first = (times: readonly number[]) => (times.length === 0 ? null : Math.min(...times));
  max('lost', thresholds.lost, result.lost, first(result.lostAt), `${result.lost} acknowledged posts never reached every other probe (${result.missingDeliveries} missing deliveries)`);
  max('unexpected', thresholds.unexpected, result.unexpected, first(result.unexpectedAt), `${result.duplicated} duplicated, ${result.neverSent} never sent`);
  max('reordered', thresholds.reordered, result.reordered, first(result.reorderedAt), `${result.reordered} deliveries after a later post of the same sender`);
  max('recovered', thresholds.recovered, result.recovered, null, `${result.recovered} posts arrived only by backfill`);
  max('timeWithoutLeaderMs', thresholds.timeWithoutLeaderMs, Math.round(leadership.longestLeaderlessMs), leadership.longestLeaderlessFrom, `longest time without a live leader${leadership.longestLeaderlessFrom === null ? '' : `, from ${new Date(leadership.longestLeaderlessFrom).toISOString()}`}`);
  const widestGap = result.gaps.reduce<CheckerResult['gaps'][number] | undefined>((a, b) => (a === undefined || b.to - b.from > a.to - a.from ? b : a), undefined);
  max('longestGapMs', thresholds.longestGapMs, result.longestGapMs, widestGap?.from ?? null, `longest gap between deliveries${widestGap ? ` (client ${widestGap.client})` : ''}`);
  const slowest = result.resumes.reduce<CheckerResult['resumes'][number] | undefined>((a, b) => (a === undefined || b.ms > a.ms ? b : a), undefined);
  max('resumeMs', thresholds.resumeMs, result.longestResumeMs, slowest?.at ?? null, `longest reconnect-and-resume${slowest ? ` (client ${slowest.client})` : ''}`);
  max('latencyP99Ms', thresholds.latencyP99Ms, result.drill.p99, result.worstLatencyAt, `delivery p99 during the drill (baseline p99 ${result.baseline.p99 ?? '-'} ms)`);
  const ratio = result.drill.p99 !== null && result.baseline.p99 !== null && result.baseline.p99 > 0 ? Math.round((result.drill.p99 / result.baseline.p99) * 100) / 100 : null;
  max('latencyP99VsBaseline', thresholds.latencyP99VsBaseline, ratio, result.worstLatencyAt, `delivery p99 ${result.drill.p99 ?? '-'} ms against the baseline's ${result.baseline.p99 ?? '-'} ms`);
  if (thresholds.probeSuccessPercent !== undefined) {
    const pass = result.probeSuccessPercent >= thresholds.probeSuccessPercent;
    judged.push({
      name: 'probeSuccessPercent',
      kind: 'min',
      limit: thresholds.probeSuccessPercent,
      actual: result.probeSuccessPercent,
      pass,
      failedAtStep: pass ? null : stepAt(steps, first(result.lostAt)),
      detail: `${result.deliveredInTime} of ${result.attempted} posts acknowledged and delivered everywhere in time`,
    });
  }
  return judged;
}

/** The verdict of a run that was not stopped, and why, in one line. */
export function decideVerdict(thresholds: readonly ThresholdResult[], hypothesis: readonly HypothesisResult[], steps: readonly StepResult[]): { verdict: 'Pass' | 'Fail'; reason: string } {
  const reasons: string[] = [];
  for (const threshold of thresholds) {
    if (threshold.pass) continue;
    const where = threshold.failedAtStep === null ? '' : ` at step ${threshold.failedAtStep + 1}`;
    reasons.push(`threshold ${threshold.name}: ${threshold.actual} ${threshold.kind === 'max' ? '>' : '<'} ${threshold.limit}${where}`);
  }
  for (const check of hypothesis) if (!check.pass) reasons.push(`hypothesis ${check.check}: ${check.detail}`);
  for (const step of steps) if (!step.ok) reasons.push(`step ${step.index + 1} (${step.action}) failed: ${step.error ?? 'unknown'}`);
  if (reasons.length === 0) return { verdict: 'Pass', reason: 'every threshold and the steady-state hypothesis held' };
  return { verdict: 'Fail', reason: reasons.join('; ') };
}
