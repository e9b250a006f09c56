import type { DrillReport, StepResult } from '@switchboard/shared';
import { StatusBadge } from '../../components/StatusBadge.js';
import { formatCount, formatDuration } from '../../lib/format.js';

/** The tables of a drill report: thresholds, hypothesis, steps, and each probe client's figures. */

/** `step 2: kill the leader`, or a dash. */
function stepName(steps: readonly StepResult[], index: number | null): string {
  if (index === null) return '—';
  const step = steps.find((candidate) => candidate.index === index);
  return `step ${index + 1}${step ? `: ${step.description}` : ''}`;
}

function Verdict({ pass }: { pass: boolean }) {
  return <StatusBadge tone={pass ? 'ok' : 'bad'}>{pass ? 'pass' : 'fail'}</StatusBadge>;
}

/** Each threshold: its limit, what the run measured, pass or fail, and the step where it failed. */
export function ThresholdsTable({ report }: { report: DrillReport }) {
  return (
    <table className="table compact" aria-label="Thresholds">
      <thead>
        <tr>
          <th scope="col">Threshold</th>
          <th scope="col" className="num">Limit</th>
          <th scope="col" className="num">Actual</th>
          <th scope="col">Result</th>
          <th scope="col">Failed at</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {report.thresholds.map((threshold) => (
          <tr key={threshold.name} aria-label={`Threshold ${threshold.name}`} data-pass={threshold.pass}>
            <th scope="row">{threshold.name}</th>
            <td className="num">
              {threshold.kind === 'max' ? '≤' : '≥'} {threshold.limit}
            </td>
            <td className="num">{threshold.actual ?? '—'}</td>
            <td>
              <Verdict pass={threshold.pass} />
            </td>
            <td className="small">{stepName(report.steps, threshold.failedAtStep)}</td>
            <td className="small muted">{threshold.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each hypothesis check before, during and after the fault. */
export function HypothesisTable({ report }: { report: DrillReport }) {
  const yes = (ok: boolean) => (ok ? 'held' : 'failed');
  return (
    <table className="table compact" aria-label="Steady-state hypothesis">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Before</th>
          <th scope="col">During</th>
          <th scope="col">After</th>
          <th scope="col" className="num">Longest failing</th>
          <th scope="col">Result</th>
          <th scope="col">Failed at</th>
        </tr>
      </thead>
      <tbody>
        {report.hypothesis.map((check) => (
          <tr key={check.check}>
            <th scope="row">{check.check}</th>
            <td>{yes(check.before)}</td>
            <td>{yes(check.during)}</td>
            <td>{yes(check.after)}</td>
            <td className="num">
              {formatDuration(check.longestFailingMs)} <span className="muted small">(tolerates {formatDuration(check.toleranceMs)})</span>
            </td>
            <td>
              <Verdict pass={check.pass} />
            </td>
            <td className="small">{stepName(report.steps, check.failedAtStep)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each step as it ran. */
export function StepsTable({ report }: { report: DrillReport }) {
  return (
    <table className="table compact" aria-label="Steps as run">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Step</th>
          <th scope="col">Targets</th>
          <th scope="col" className="num">Took</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        {report.steps.map((step) => (
          <tr key={step.index}>
            <td className="num">{step.index + 1}</td>
            <th scope="row">
              {step.description} <code className="muted">{step.action}</code>
            </th>
            <td>{step.targets.join(', ') || '—'}</td>
            <td className="num">{step.endedAt === null ? '—' : formatDuration(step.endedAt - step.startedAt)}</td>
            <td>
              <Verdict pass={step.ok} /> {step.error ? <span className="field-error">{step.error}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Each probe client's raw figures. */
export function ClientsTable({ report }: { report: DrillReport }) {
  const max = (values: readonly number[]) => (values.length === 0 ? null : Math.max(...values));
  return (
    <div className="table-wrap">
      <table className="table compact" aria-label="Probe clients">
        <thead>
          <tr>
            {['Client', 'Node', 'Acked', 'Received', 'Lost', 'Duplicated', 'Recovered', 'Reordered', 'Longest gap', 'Reconnects', 'Slowest resume', 'Errors'].map((name) => (
              <th key={name} scope="col" className={name === 'Client' || name === 'Node' ? undefined : 'num'}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.figures.clients.map((c) => (
            <tr key={c.client}>
              <th scope="row">{c.client}</th>
              <td>{c.node}</td>
              <td className="num">{formatCount(c.acknowledged)}</td>
              <td className="num">{formatCount(c.received)}</td>
              <td className="num">{formatCount(c.lost)}</td>
              <td className="num">{formatCount(c.duplicated)}</td>
              <td className="num">{formatCount(c.recovered)}</td>
              <td className="num">{formatCount(c.reordered)}</td>
              <td className="num">{formatDuration(c.longestGapMs)}</td>
              <td className="num">{formatCount(c.disconnects)}</td>
              <td className="num">{formatDuration(max(c.resumeMs))}</td>
              <td className="num">{formatCount(c.postErrors + c.socketErrors)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
