import { MAX_SCENARIO_TEXT, type DrillScenario } from '@switchboard/shared';
import { useId, useState } from 'react';
import { useSaveScenario, useScenarioValidation } from '../../api/queries/drills.js';
import { describeError } from '../../components/States.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { plural } from '../../lib/format.js';

/** How long typing must pause before the text is validated, ms. @default 300 */
export const VALIDATE_DELAY_MS = 300;

type Check = { state: 'empty' | 'checking' | 'too-long' } | { state: 'valid'; scenario: DrillScenario } | { state: 'invalid'; issues: Array<{ path: string; message: string }> } | { state: 'error'; error: unknown };

/** Where the text stands against the engine's schema (asked of main, debounced). */
function useCheck(text: string): Check {
  const settled = useDebounced(text, VALIDATE_DELAY_MS);
  const validation = useScenarioValidation(settled);
  if (text.trim() === '') return { state: 'empty' };
  if (text.length > MAX_SCENARIO_TEXT) return { state: 'too-long' };
  if (settled !== text || validation.isPending) return { state: 'checking' };
  if (validation.error) return { state: 'error', error: validation.error };
  return validation.data.ok ? { state: 'valid', scenario: validation.data.scenario } : { state: 'invalid', issues: validation.data.issues };
}

function CheckResult({ check, id }: { check: Check; id: string }) {
  switch (check.state) {
    case 'empty':
      return <p id={id} className="muted small">Write a scenario in YAML or JSON: a name and at least one step.</p>;
    case 'checking':
      return <p id={id} className="muted small" role="status">Checking…</p>;
    case 'too-long':
      return <p id={id} className="field-error" role="alert">The scenario is longer than {MAX_SCENARIO_TEXT.toLocaleString('en-US')} characters.</p>;
    case 'error':
      return <p id={id} className="field-error" role="alert">Could not check it: {describeError(check.error).message}</p>;
    case 'valid':
      return <p id={id} className="small scenario-valid" role="status">Valid: {check.scenario.name}, {plural(check.scenario.steps.length, 'step')}.</p>;
    case 'invalid':
      return (
        <ul id={id} className="field-error scenario-issues" role="alert" aria-label="Scenario problems">
          {check.issues.map((issue) => (
            <li key={`${issue.path}: ${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      );
  }
}

/**
 * A scenario as text (YAML or JSON), checked against the engine's schema as the operator types,
 * each problem shown by its field path; Save (into the console's data dir, by name) and Run stay
 * off until it is valid.
 */
export function ScenarioEditor(props: { initial: string; title: string; onRun: (scenario: DrillScenario, text: string) => void; onClose: () => void; running: boolean }) {
  const { initial, title, onRun, onClose, running } = props;
  const [text, setText] = useState(initial);
  const check = useCheck(text);
  const save = useSaveScenario();
  const id = useId();
  const valid = check.state === 'valid' ? check.scenario : null;
  return (
    <form
      className="scenario-editor"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) save.mutate(text);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-text`}>Scenario (YAML or JSON)</label>
        <textarea
          id={`${id}-text`}
          className="scenario-text"
          value={text}
          spellCheck={false}
          rows={22}
          aria-invalid={check.state === 'invalid' || check.state === 'too-long' ? true : undefined}
          aria-describedby={`${id}-check`}
          onChange={(event) => {
            save.reset();
            setText(event.target.value);
          }}
        />
      </div>
      <CheckResult check={check} id={`${id}-check`} />
      {save.error ? (
        <p className="alert alert-warning" role="alert">
          Not saved: {describeError(save.error).message} <span className="muted small">{describeError(save.error).detail}</span>
        </p>
      ) : null}
      {save.data && !save.isPending ? <p className="small scenario-valid" role="status">Saved as {save.data.name}.</p> : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={!valid || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save scenario'}
        </button>
        <button type="button" disabled={!valid || running} onClick={() => valid && onRun(valid, text)}>
          Run this scenario
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
