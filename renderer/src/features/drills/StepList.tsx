import { StatusBadge } from '../../components/StatusBadge.js';
import { formatDuration } from '../../lib/format.js';
import type { LiveStep } from '../../lib/drill-run.js';
import { STEP_STATE } from './drill-words.js';

/**
 * A run's steps in order, each with where it stands: pending, running (with a progress bar and
 * how long so far), done or failed (with its targets, its time and why it failed).
 */
export function StepList({ steps, now }: { steps: readonly LiveStep[]; now: number }) {
  return (
    <ol className="drill-steps" aria-label="Drill steps">
      {steps.map((step) => {
        const state = STEP_STATE[step.state];
        const took = step.startedAt === null ? null : (step.endedAt ?? now) - step.startedAt;
        return (
          <li key={step.index} className={`drill-step drill-step-${step.state}`} data-state={step.state} aria-label={`Step ${step.index + 1}: ${step.description}`}>
            <span className="drill-step-number">{step.index + 1}</span>
            <div className="drill-step-body">
              <div>
                <strong>{step.description}</strong> <code className="muted">{step.action}</code>
              </div>
              <div className="row-actions small">
                <StatusBadge tone={state.tone}>{state.word}</StatusBadge>
                {step.state === 'running' ? <progress aria-label={`Step ${step.index + 1} running`} /> : null}
                {took !== null ? <span className="muted">{formatDuration(took)}</span> : null}
                {step.targets.length > 0 ? <span className="muted">on {step.targets.join(', ')}</span> : null}
                {step.error ? <span className="field-error">{step.error}</span> : null}
              </div>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
