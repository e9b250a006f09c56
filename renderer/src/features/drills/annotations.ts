import type { DrillSample, TimelineEntry } from '@switchboard/shared';

/**
 * The timeline drawn over the drill charts: a line where each step was sent, where a node left
 * the registry and where a new leader took over, and a shaded area for each time without a
 * leader. Pure, for DrillCharts and its tests.
 */

/** A vertical line at `at`. */
export interface ChartLineMark {
  at: number;
  label: string;
  tone: 'step' | 'bad' | 'ok';
}

/** A shaded span. */
export interface ChartArea {
  from: number;
  to: number;
  label: string;
}

/** Where each step started, for the step lines. */
export interface StepStart {
  index: number;
  startedAt: number | null;
}

/**
 * The annotations of a run: step lines, node-gone and new-leader lines, and leaderless spans
 * (one still open ends at `endAt`).
 * @example chartAnnotations(run.marks, run.steps, lastSampleAt)
 */
export function chartAnnotations(marks: readonly TimelineEntry[], steps: readonly StepStart[], endAt: number): { lines: ChartLineMark[]; areas: ChartArea[] } {
  const lines: ChartLineMark[] = steps.filter((step) => step.startedAt !== null).map((step) => ({ at: step.startedAt!, label: `S${step.index + 1}`, tone: 'step' }));
  const areas: ChartArea[] = [];
  let leaderlessSince: number | null = null;
  for (const mark of [...marks].sort((a, b) => a.at - b.at)) {
    if (mark.kind === 'node-gone') lines.push({ at: mark.at, label: `${mark.node ?? 'node'} gone`, tone: 'bad' });
    if (mark.kind === 'leader-lost' && leaderlessSince === null) leaderlessSince = mark.at;
    if (mark.kind === 'new-leader') {
      lines.push({ at: mark.at, label: `leader ${mark.node ?? ''}`.trim(), tone: 'ok' });
      if (leaderlessSince !== null) areas.push({ from: leaderlessSince, to: mark.at, label: 'no leader' });
      leaderlessSince = null;
    }
  }
  if (leaderlessSince !== null && endAt > leaderlessSince) areas.push({ from: leaderlessSince, to: endAt, label: 'no leader' });
  return { lines, areas };
}

/** One chart row per sample. */
export interface DrillChartRow {
  t: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  posts: number;
  deliveries: number;
  errors: number;
  active: number;
  draining: number;
  down: number;
  clients: number;
}

/** The chart rows of a run's samples. */
export function chartRows(samples: readonly DrillSample[]): DrillChartRow[] {
  return samples.map((s) => ({
    t: s.at,
    p50: s.latencyP50Ms,
    p99: s.latencyP99Ms,
    max: s.latencyMaxMs,
    posts: s.postsPerSecond,
    deliveries: s.deliveriesPerSecond,
    errors: s.errorsPerSecond,
    active: s.nodesActive,
    draining: s.nodesDraining,
    down: s.nodesDown,
    clients: s.clientsConnected,
  }));
}
