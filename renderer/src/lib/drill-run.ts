import type { DrillEvent, DrillProgress, DrillSample, DrillVerdict, ThresholdResult, TimelineEntry } from '@switchboard/shared';
import { pushBounded } from './bounded.js';

/**
 * A drill run as the live view draws it, folded from its `drills.onDidProgress` events: the
 * steps and where each stands, the phase, the per-second samples and timeline marks (bounded),
 * and the verdict once there is one. Pure: the drill store and its tests call these.
 */

/** Samples a live run keeps (one a second: half an hour). @default 1800 */
export const LIVE_SAMPLES_CAPACITY = 1_800;
/** Timeline marks a live run keeps. @default 2000 */
export const LIVE_MARKS_CAPACITY = 2_000;
/** Events kept aside for a run joined mid-way until its replay comes. @default 2000 */
export const PENDING_CAPACITY = 2_000;

/** Where a step stands. */
export type StepState = 'pending' | 'running' | 'ok' | 'failed';

/** One step of a live run. */
export interface LiveStep {
  index: number;
  action: string;
  description: string;
  state: StepState;
  startedAt: number | null;
  endedAt: number | null;
  targets: string[];
  error: string | null;
}

/** The phases a run goes through. */
export type RunPhase = Extract<DrillEvent, { type: 'phase' }>['phase'];

/** The verdict event, as the view shows it. */
export interface LiveVerdict {
  at: number;
  verdict: DrillVerdict;
  reason: string;
  lost: number;
  unexpected: number;
  recovered: number;
  reordered: number;
  thresholds: ThresholdResult[];
}

/** A run folded from its events. */
export interface LiveRun {
  runId: string;
  scenario: string;
  profile: string;
  startedAt: number;
  nodes: string[];
  phase: RunPhase | null;
  steps: LiveStep[];
  samples: DrillSample[];
  marks: TimelineEntry[];
  verdict: LiveVerdict | null;
  /** The last event folded in (its `seq`); later events with a lower or equal one are ignored. */
  lastSeq: number;
  /** Whether the run is known from its first event (or a replay); else it was joined mid-way. */
  complete: boolean;
  /** A run joined mid-way: the events heard so far, to fold in again after the replay. */
  pending: DrillProgress[];
}

/** A run known only by id (its run-started event was not seen): filled in as events come. */
function emptyRun(runId: string, complete: boolean): LiveRun {
  return { runId, scenario: '', profile: '', startedAt: 0, nodes: [], phase: null, steps: [], samples: [], marks: [], verdict: null, lastSeq: -1, complete, pending: [] };
}

function updateStep(steps: readonly LiveStep[], index: number, patch: Partial<LiveStep>, base: Omit<LiveStep, 'state' | 'startedAt' | 'endedAt' | 'targets' | 'error'>): LiveStep[] {
  const found = steps.some((step) => step.index === index);
  const list = found ? steps : [...steps, { ...base, state: 'pending' as const, startedAt: null, endedAt: null, targets: [], error: null }].sort((a, b) => a.index - b.index);
  return list.map((step) => (step.index === index ? { ...step, ...patch } : step));
}

/** Folds one event into a run (which must be the event's run). */
function fold(run: LiveRun, event: DrillEvent): LiveRun {
  switch (event.type) {
    case 'run-started':
      return {
        ...run,
        scenario: event.scenario,
        profile: event.profile,
        startedAt: event.at,
        nodes: event.nodes,
        steps: event.steps.map((step) => ({ ...step, state: 'pending', startedAt: null, endedAt: null, targets: [], error: null })),
      };
    case 'phase':
      return { ...run, phase: event.phase };
    case 'step-started':
      return { ...run, steps: updateStep(run.steps, event.index, { state: 'running', startedAt: event.at }, event) };
    case 'step-finished': {
      const { step } = event;
      const patch = { state: step.ok ? ('ok' as const) : ('failed' as const), startedAt: step.startedAt, endedAt: step.endedAt ?? event.at, targets: step.targets, error: step.error };
      return { ...run, steps: updateStep(run.steps, step.index, patch, step) };
    }
    case 'mark':
      return { ...run, marks: pushBounded(run.marks, [event.mark], LIVE_MARKS_CAPACITY) };
    case 'sample':
      return { ...run, samples: pushBounded(run.samples, [event.sample], LIVE_SAMPLES_CAPACITY) };
    case 'verdict': {
      const { at, verdict, reason, lost, unexpected, recovered, reordered, thresholds } = event;
      return { ...run, phase: 'done', verdict: { at, verdict, reason, lost, unexpected, recovered, reordered, thresholds } };
    }
  }
}

/**
 * `run` with `progress` folded in. Another run id starts a new run (one drill runs at a time),
 * complete when this is its first event, else joined mid-way (its events are also kept aside
 * until {@link replayDrill} fills in the beginning). An event already folded in (by `seq`)
 * changes nothing (the same object comes back).
 * @example const next = applyDrillProgress(current, { runId, seq: 0, event: { type: 'run-started', … } });
 */
export function applyDrillProgress(run: LiveRun | null, progress: DrillProgress): LiveRun {
  const base = run === null || run.runId !== progress.runId ? emptyRun(progress.runId, progress.seq === 0) : run;
  if (progress.seq <= base.lastSeq) return base;
  const pending = base.complete ? base.pending : pushBounded(base.pending, [progress], PENDING_CAPACITY);
  return { ...fold(base, progress.event), lastSeq: progress.seq, pending };
}

/**
 * Folds a replay (`drills.current`) into what the view already has. A run known from its start
 * takes only the newer events; a run joined mid-way (or another run) is rebuilt from the replay,
 * then the events heard meanwhile that the replay lacks are folded in after it.
 * @example const run = replayDrill(current, answer.run.runId, answer.run.events);
 */
export function replayDrill(run: LiveRun | null, runId: string, events: readonly DrillProgress[]): LiveRun {
  const same = run !== null && run.runId === runId;
  let next = same && run.complete ? run : emptyRun(runId, true);
  for (const progress of events) next = applyDrillProgress(next, progress);
  for (const progress of same && !run.complete ? run.pending : []) next = applyDrillProgress(next, progress);
  return next;
}

/** How far a run is: steps finished out of all, and whether it is over. */
export function runProgress(run: LiveRun): { done: number; total: number; finished: boolean } {
  const done = run.steps.filter((step) => step.state === 'ok' || step.state === 'failed').length;
  return { done, total: run.steps.length, finished: run.verdict !== null };
}
