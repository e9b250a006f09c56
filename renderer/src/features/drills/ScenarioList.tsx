import type { DrillScenarioEntry } from '@switchboard/shared';
import { StatusBadge } from '../../components/StatusBadge.js';
import { plural } from '../../lib/format.js';

/**
 * The scenarios the console can run, built in and saved: what each does, with Run and Edit (a
 * built-in one is edited as a copy under a new name).
 */
export function ScenarioList(props: { scenarios: readonly DrillScenarioEntry[]; running: boolean; onRun: (entry: DrillScenarioEntry) => void; onEdit: (entry: DrillScenarioEntry) => void }) {
  const { scenarios, running, onRun, onEdit } = props;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Drill scenarios">
        <thead>
          <tr>
            <th scope="col">Scenario</th>
            <th scope="col">What it does</th>
            <th scope="col">Steps</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {scenarios.map((entry) => (
            <tr key={`${entry.source}-${entry.name}`} aria-label={`Scenario ${entry.name}`}>
              <th scope="row">
                {entry.name} <StatusBadge tone={entry.source === 'builtin' ? 'muted' : 'info'}>{entry.source === 'builtin' ? 'built in' : 'saved'}</StatusBadge>
              </th>
              <td className="small">{entry.scenario.description ?? <span className="muted">no description</span>}</td>
              <td className="num">{plural(entry.scenario.steps.length, 'step')}</td>
              <td>
                <div className="row-actions">
                  <button type="button" className="small primary" disabled={running} title={running ? 'A drill is running' : undefined} aria-label={`Run ${entry.name}`} onClick={() => onRun(entry)}>
                    Run
                  </button>
                  <button type="button" className="small" aria-label={`${entry.source === 'builtin' ? 'Copy' : 'Edit'} ${entry.name}`} onClick={() => onEdit(entry)}>
                    {entry.source === 'builtin' ? 'Copy' : 'Edit'}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
