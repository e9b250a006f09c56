import type { DrillVerdict, TimelineKind } from '@switchboard/shared';
import type { Tone } from '../../components/StatusBadge.js';
import type { RunPhase, StepState } from '../../lib/drill-run.js';

/** How the Drills view words the engine's terms. */

/** A timeline mark's kind, in words. */
export const MARK_WORDS: Record<TimelineKind, string> = {
  'run-started': 'Run started',
  'baseline-done': 'Baseline measured',
  'step-sent': 'Step sent',
  'step-done': 'Step done',
  'step-failed': 'Step failed',
  'node-gone': 'Node gone from registry',
  'node-back': 'Node back',
  'leader-lost': 'Leader lost',
  'new-leader': 'New leader',
  'client-disconnected': 'Client disconnected',
  'client-resumed': 'Client resumed',
  'client-new-connection': 'Client got a new connection',
  'client-backfilled': 'Client backfilled',
  'probe-gap': 'Probe gap',
  'check-failed': 'Check failed',
  'check-recovered': 'Check holds again',
  abort: 'Abort',
  restored: 'Cluster restored',
  'run-finished': 'Run finished',
};

/** How a mark reads at a glance. */
export function markTone(kind: TimelineKind): Tone {
  if (['step-failed', 'node-gone', 'leader-lost', 'check-failed', 'abort', 'probe-gap'].includes(kind)) return 'bad';
  if (['client-disconnected', 'client-new-connection', 'client-backfilled'].includes(kind)) return 'warn';
  if (['node-back', 'new-leader', 'client-resumed', 'check-recovered', 'restored', 'step-done'].includes(kind)) return 'ok';
  return 'info';
}

/** The tone of a verdict. */
export const VERDICT_TONE: Record<DrillVerdict, Tone> = { Pass: 'ok', Fail: 'bad', Stopped: 'warn' };

/** What a phase means to the operator. */
export const PHASE_WORDS: Record<RunPhase, string> = {
  preflight: 'Checking the steady state',
  baseline: 'Measuring the baseline',
  steps: 'Running the steps',
  settle: 'Settling, final checks',
  restore: 'Restoring the cluster',
  done: 'Done',
};

/** A step's state, in words and tone. */
export const STEP_STATE: Record<StepState, { word: string; tone: Tone }> = {
  pending: { word: 'pending', tone: 'muted' },
  running: { word: 'running', tone: 'info' },
  ok: { word: 'done', tone: 'ok' },
  failed: { word: 'failed', tone: 'bad' },
};
