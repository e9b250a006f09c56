import { validateScenarioValue, type ScenarioIssue, type ScenarioValidation } from '@switchboard/shared';
import { parseDocument } from 'yaml';

/**
 * Reads a drill scenario from YAML or JSON text (JSON is YAML, so one parser reads both) and
 * validates it: the scenario with defaults applied, or every problem with its field path.
 * @example validateScenarioText('name: mine\nsteps:\n  - action: kill-leader\n')
 */
export function validateScenarioText(text: string): ScenarioValidation {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, issues: [{ path: '(scenario)', message: 'the scenario is empty' }] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, issues: [{ path: '(syntax)', message: `${where ? `line ${where.line}, column ${where.col}: ` : ''}${what}` }] };
  }
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, issues: [{ path: '(scenario)', message: 'must be a mapping (an object) with name and steps' }] };
  return validateScenarioValue(value);
}

/** One line listing every issue: `steps.0.action: Invalid input; name: Required`. */
export function describeScenarioIssues(issues: readonly ScenarioIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}
