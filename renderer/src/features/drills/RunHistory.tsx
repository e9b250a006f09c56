import type { DrillRunSummary } from '@switchboard/shared';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatCount, formatDateTime, formatDuration } from '../../lib/format.js';
import { VERDICT_TONE } from './drill-words.js';

/** Past and current runs, newest first, each with its verdict; one with a verdict opens its report (a run cut short by its process ending has none). */
export function RunHistory({ runs, openRunId, onOpen }: { runs: readonly DrillRunSummary[]; openRunId: string | null; onOpen: (runId: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Drill runs">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Scenario</th>
            <th scope="col">Profile</th>
            <th scope="col">Verdict</th>
            <th scope="col" className="num">
              Took
            </th>
            <th scope="col" className="num">
              Lost
            </th>
            <th scope="col">Why</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.runId} aria-label={`Run ${run.runId}`} aria-current={run.runId === openRunId ? 'true' : undefined} data-verdict={run.verdict ?? (run.state === 'running' ? 'running' : 'interrupted')}>
              <td className="nowrap">{formatDateTime(run.startedAt)}</td>
              <th scope="row">{run.scenario}</th>
              <td>{run.profile}</td>
              <td>{run.verdict ? <StatusBadge tone={VERDICT_TONE[run.verdict]}>{run.verdict}</StatusBadge> : run.state === 'running' ? <StatusBadge tone="info">running</StatusBadge> : <StatusBadge tone="warn" title="The process running it ended before a verdict">interrupted</StatusBadge>}</td>
              <td className="num">{run.endedAt === null ? '—' : formatDuration(run.endedAt - run.startedAt)}</td>
              <td className="num">{formatCount(run.lost)}</td>
              <td className="small">{run.reason ?? ''}</td>
              <td>
                <button type="button" className="small" disabled={run.verdict === null} aria-label={`Open report of ${run.scenario} run ${run.runId}`} onClick={() => onOpen(run.runId)}>
                  Open report
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
