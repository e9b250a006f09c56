import { useHaltDrill } from '../../api/queries/drills.js';
import { Panel } from '../../components/Panel.js';
import { Stat } from '../../components/Stat.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { describeError } from '../../components/States.js';
import { runProgress, type LiveRun as LiveRunState } from '../../lib/drill-run.js';
import { useDrillStore } from '../../stores/drill-store.js';
import { formatCount, formatDuration } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { DrillCharts } from './DrillCharts.js';
import { DrillTimeline } from './DrillTimeline.js';
import { PHASE_WORDS, VERDICT_TONE } from './drill-words.js';
import { StepList } from './StepList.js';

/** The verdict of a finished live run, its loss figures, and the way to its report. */
function LiveVerdict({ run, onOpenReport }: { run: LiveRunState; onOpenReport: (runId: string) => void }) {
  const verdict = run.verdict!;
  const failed = verdict.thresholds.filter((threshold) => !threshold.pass);
  return (
    <div className="drill-verdict" role="status" aria-label="Drill verdict">
      <div className="stats">
        <Stat label="Verdict" value={verdict.verdict} tone={verdict.verdict === 'Pass' ? 'ok' : verdict.verdict === 'Fail' ? 'bad' : 'warn'} note={verdict.reason} />
        <Stat label="Lost" value={formatCount(verdict.lost)} tone={verdict.lost > 0 ? 'bad' : 'ok'} />
        <Stat label="Unexpected" value={formatCount(verdict.unexpected)} tone={verdict.unexpected > 0 ? 'bad' : 'ok'} />
        <Stat label="Recovered" value={formatCount(verdict.recovered)} note="arrived only by backfill" />
        <Stat label="Reordered" value={formatCount(verdict.reordered)} tone={verdict.reordered > 0 ? 'warn' : 'ok'} />
      </div>
      {failed.length > 0 ? <p className="alert alert-warning">Failed: {failed.map((threshold) => threshold.name).join(', ')}</p> : null}
      <div className="row-actions">
        <button type="button" className="primary" onClick={() => onOpenReport(run.runId)}>
          Open report
        </button>
      </div>
    </div>
  );
}

/**
 * The drill the console follows live: phase and elapsed time, Halt (immediate: no confirmation,
 * the engine aborts and restores at once), each step's progress, the charts and timeline as
 * they grow, and the verdict when it comes.
 */
export function LiveRun({ run, onOpenReport }: { run: LiveRunState; onOpenReport: (runId: string) => void }) {
  const now = useNow(500);
  const halt = useHaltDrill();
  const { done, total, finished } = runProgress(run);
  const halting = halt.isPending || (halt.data?.runId === run.runId && halt.data.halted);
  const elapsed = (finished ? run.verdict!.at : now) - run.startedAt;
  const title = `Drill ${run.scenario || run.runId}`;
  const action = finished ? (
    <button type="button" className="small" onClick={() => useDrillStore.getState().dismiss(run.runId)}>
      Dismiss
    </button>
  ) : (
    <button type="button" className="danger" disabled={halting} onClick={() => halt.mutate(run.runId)}>
      {halting ? 'Halting…' : 'Halt'}
    </button>
  );
  return (
    <Panel title={title} className="drill-live" actions={action}>
      <div className="toolbar">
        {finished ? <StatusBadge tone={VERDICT_TONE[run.verdict!.verdict]}>{run.verdict!.verdict}</StatusBadge> : <StatusBadge tone="info">running</StatusBadge>}
        <span aria-live="polite">{run.phase ? PHASE_WORDS[run.phase] : 'Starting'}</span>
        <span className="muted">{run.startedAt > 0 ? formatDuration(elapsed) : ''}</span>
        <span className="muted small">
          profile {run.profile || '—'} · nodes {run.nodes.join(', ') || '—'} · run {run.runId}
        </span>
      </div>
      <progress className="drill-progress" aria-label="Drill progress" value={finished ? total : done} max={Math.max(1, total)} />
      {halting && !finished ? <p className="alert alert-warning" role="status">Halting: the drill stops and restores the cluster…</p> : null}
      {halt.error ? <p className="alert alert-warning" role="alert">Could not halt: {describeError(halt.error).message}</p> : null}
      {finished ? <LiveVerdict run={run} onOpenReport={onOpenReport} /> : null}
      <StepList steps={run.steps} now={now} />
      <DrillCharts samples={run.samples} marks={run.marks} steps={run.steps} />
      <h4>Timeline</h4>
      <DrillTimeline marks={run.marks} startedAt={run.startedAt} live={!finished} />
    </Panel>
  );
}
