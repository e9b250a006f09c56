import { useEffect, useRef, type ReactNode } from 'react';
import { useDrillReport, useSaveReportHtml } from '../../api/queries/drills.js';
import { Panel } from '../../components/Panel.js';
import { Stat } from '../../components/Stat.js';
import { describeError, ErrorState, Loading } from '../../components/States.js';
import { formatCount, formatDateTime, formatDuration, formatLatency } from '../../lib/format.js';
import { DrillCharts } from './DrillCharts.js';
import { DrillTimeline } from './DrillTimeline.js';
import { ClientsTable, HypothesisTable, StepsTable, ThresholdsTable } from './ReportTables.js';

/** Brings the report into view and moves the focus to it when it opens (keyboard and screen-reader users land on it). */
function Focused({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start' });
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div ref={ref} tabIndex={-1} className="focus-target">
      {children}
    </div>
  );
}

/**
 * A finished run's report: the verdict and why, the loss figures (lost, unexpected, recovered,
 * reordered), probe success, each threshold with the step where it failed, the hypothesis, the
 * steps, the charts with the timeline over them, the timeline itself and each probe client's
 * figures; Save HTML report hands over the self-contained file.
 */
export function ReportPanel({ runId, onClose }: { runId: string; onClose: () => void }) {
  const report = useDrillReport(runId);
  const saveHtml = useSaveReportHtml();
  const actions = (
    <>
      <button type="button" className="small" disabled={!report.data || saveHtml.isPending} onClick={() => saveHtml.mutate(runId)}>
        {saveHtml.isPending ? 'Preparing…' : 'Save HTML report'}
      </button>
      <button type="button" className="small" onClick={onClose}>
        Close
      </button>
    </>
  );
  const title = `Report of run ${runId}`;
  if (report.isPending) return <Focused><Panel title={title} actions={actions}><Loading label="Reading the report…" /></Panel></Focused>;
  if (report.error) return <Focused><Panel title={title} actions={actions}><ErrorState title="The report could not be read" error={report.error} onRetry={() => void report.refetch()} /></Panel></Focused>;
  const r = report.data;
  const { figures } = r;
  return (
    <Focused>
      <Panel title={title} actions={actions} className="drill-report">
        <p>
          <strong>{r.scenario.name}</strong> on profile {r.profile} (cluster {r.cluster}, nodes {r.nodes.join(', ')}), {formatDateTime(r.startedAt)} for {formatDuration(r.endedAt - r.startedAt)}.
        </p>
        <div className="stats" aria-label="Report figures">
          <Stat label="Verdict" value={r.verdict} tone={r.verdict === 'Pass' ? 'ok' : r.verdict === 'Fail' ? 'bad' : 'warn'} note={r.reason} />
          <Stat label="Probe success" value={`${r.probeSuccessPercent.toFixed(r.probeSuccessPercent === 100 ? 0 : 2)} %`} note={`${formatCount(figures.deliveredInTime)} of ${formatCount(figures.attempted)} posts delivered everywhere in time`} />
          <Stat label="Lost" value={formatCount(r.lost)} tone={r.lost > 0 ? 'bad' : 'ok'} />
          <Stat label="Unexpected" value={formatCount(r.unexpected)} tone={r.unexpected > 0 ? 'bad' : 'ok'} />
          <Stat label="Recovered" value={formatCount(r.recovered)} note="arrived only by backfill" />
          <Stat label="Reordered" value={formatCount(r.reordered)} tone={r.reordered > 0 ? 'warn' : 'ok'} />
          <Stat label="Without a leader" value={formatDuration(figures.timeWithoutLeaderMs)} note={`${formatCount(figures.leaderChanges)} leader changes`} />
          <Stat label="Delivery p99" value={formatLatency(figures.drill.p99)} note={`baseline ${formatLatency(figures.baseline.p99)}`} />
        </div>
        {saveHtml.error ? <p className="alert alert-warning" role="alert">Not saved: {describeError(saveHtml.error).message}</p> : null}
        {!r.restore.ok ? (
          <p className="alert alert-critical" role="alert">
            Restoring the cluster failed: {r.restore.errors.join('; ')}
          </p>
        ) : null}
        <h4>Thresholds</h4>
        <ThresholdsTable report={r} />
        <h4>Steady-state hypothesis</h4>
        <HypothesisTable report={r} />
        <h4>Steps</h4>
        <StepsTable report={r} />
        <h4>Through the drill</h4>
        <DrillCharts samples={r.series} marks={r.timeline} steps={r.steps} />
        <h4>Timeline</h4>
        <DrillTimeline marks={r.timeline} startedAt={r.startedAt} live={false} />
        <h4>Probe clients</h4>
        <ClientsTable report={r} />
        <p className="muted small">
          Longest gap any client saw {formatDuration(figures.longestGapMs)}; slowest resume {formatDuration(figures.longestResumeMs)}; {formatCount(figures.postErrors)} post errors; {formatCount(figures.missingDeliveries)} deliveries missing at the end.
          {r.restore.actions.length > 0 ? ` Restored: ${r.restore.actions.join('; ')}.` : ''}
        </p>
      </Panel>
    </Focused>
  );
}
