import type { HypothesisCheck, HypothesisResult } from '@switchboard/shared';
import { latencyFigures } from './checker.js';

/** What the hypothesis checks read, at one moment. */
export interface SteadyStateView {
  now: number;
  leader: string | null;
  activeNodes: number;
  /** Nodes there were at the start (the default `nodes-active` minimum). */
  initialNodes: number;
  /** Live delivery latencies (ms) that arrived in the last `windowMs`. */
  latencies: (windowMs: number) => number[];
  /** Acknowledged posts older than the delivery timeout still missing somewhere. */
  overdue: number;
}

/** Whether one check holds in `view`, and why not. */
export function evaluateCheck(check: HypothesisCheck, view: SteadyStateView): { ok: boolean; detail: string } {
  switch (check.check) {
    case 'one-leader':
      return view.leader ? { ok: true, detail: `${view.leader} leads` } : { ok: false, detail: 'no live leader' };
    case 'nodes-active': {
      const min = check.min ?? view.initialNodes;
      return { ok: view.activeNodes >= min, detail: `${view.activeNodes} of at least ${min} nodes active` };
    }
    case 'delivery-p99': {
      const p99 = latencyFigures(view.latencies(check.windowMs)).p99;
      if (p99 === null) return { ok: true, detail: 'no delivery in the window' };
      return { ok: p99 <= check.maxMs, detail: `delivery p99 ${p99} ms (limit ${check.maxMs} ms)` };
    }
    case 'no-loss':
      return { ok: view.overdue === 0, detail: view.overdue === 0 ? 'every acknowledged post delivered' : `${view.overdue} acknowledged posts overdue` };
  }
}

interface CheckState {
  check: HypothesisCheck;
  before: boolean | null;
  after: boolean | null;
  failingSince: number | null;
  longestFailingMs: number;
  longestFrom: number | null;
  failuresInARow: number;
  lastDetail: string;
}

/**
 * The steady-state hypothesis over a run: each check is evaluated before the fault (all must
 * hold, or the drill does not start), every second during it (each may fail for at most its
 * `toleranceMs` without interruption), and after it (all must hold again).
 */
export class HypothesisTracker {
  readonly #states: CheckState[];

  constructor(checks: readonly HypothesisCheck[]) {
    this.#states = checks.map((check) => ({ check, before: null, after: null, failingSince: null, longestFailingMs: 0, longestFrom: null, failuresInARow: 0, lastDetail: '' }));
  }

  /** Evaluates every check now; returns the ones failing with why. */
  current(view: SteadyStateView): Array<{ check: string; detail: string }> {
    return this.#states.flatMap((state) => {
      const outcome = evaluateCheck(state.check, view);
      return outcome.ok ? [] : [{ check: state.check.check, detail: outcome.detail }];
    });
  }

  /** The before-the-fault evaluation; returns the failing checks (empty: the drill may start). */
  before(view: SteadyStateView): Array<{ check: string; detail: string }> {
    const failing = this.current(view);
    for (const state of this.#states) state.before = !failing.some((entry) => entry.check === state.check.check);
    return failing;
  }

  /**
   * One evaluation during the fault. Returns the checks that started or stopped failing (for the
   * timeline) and the most consecutive failures of any check (for the abort condition).
   */
  during(view: SteadyStateView): { started: Array<{ check: string; detail: string }>; recovered: string[]; worstRun: number } {
    const started: Array<{ check: string; detail: string }> = [];
    const recovered: string[] = [];
    for (const state of this.#states) {
      const outcome = evaluateCheck(state.check, view);
      state.lastDetail = outcome.detail;
      if (outcome.ok) {
        if (state.failingSince !== null) recovered.push(state.check.check);
        this.#closeFailure(state, view.now);
        state.failuresInARow = 0;
        continue;
      }
      state.failuresInARow += 1;
      if (state.failingSince === null) {
        state.failingSince = view.now;
        started.push({ check: state.check.check, detail: outcome.detail });
      }
      const current = view.now - state.failingSince;
      if (current > state.longestFailingMs) {
        state.longestFailingMs = current;
        state.longestFrom = state.failingSince;
      }
    }
    return { started, recovered, worstRun: Math.max(0, ...this.#states.map((state) => state.failuresInARow)) };
  }

  /** The after-the-fault evaluation. */
  after(view: SteadyStateView): void {
    for (const state of this.#states) {
      const outcome = evaluateCheck(state.check, view);
      state.after = outcome.ok;
      state.lastDetail = outcome.detail;
      this.#closeFailure(state, view.now);
    }
  }

  /** Each check's outcome; `stepAt` names the step when its tolerance ran out. */
  results(stepAt: (at: number | null) => number | null): HypothesisResult[] {
    return this.#states.map((state) => {
      const during = state.longestFailingMs <= state.check.toleranceMs;
      const before = state.before ?? false;
      const after = state.after ?? false;
      const pass = before && during && after;
      const detail = !before
        ? 'failed before the fault'
        : !during
          ? `failed for ${Math.round(state.longestFailingMs)} ms running (tolerance ${state.check.toleranceMs} ms)`
          : !after
            ? `failed after the fault: ${state.lastDetail}`
            : `held (longest failing stretch ${Math.round(state.longestFailingMs)} ms)`;
      return {
        check: state.check.check,
        before,
        longestFailingMs: Math.round(state.longestFailingMs),
        toleranceMs: state.check.toleranceMs,
        during,
        after,
        pass,
        failedAtStep: during ? null : stepAt(state.longestFrom),
        detail,
      };
    });
  }

  #closeFailure(state: CheckState, now: number): void {
    if (state.failingSince === null) return;
    const length = now - state.failingSince;
    if (length > state.longestFailingMs) {
      state.longestFailingMs = length;
      state.longestFrom = state.failingSince;
    }
    state.failingSince = null;
  }
}
