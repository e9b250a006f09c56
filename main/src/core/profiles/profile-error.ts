import { SwitchboardError } from '@switchboard/shared';
import type { z } from 'zod';

/**
 * A profile that cannot be used: unreadable, not YAML/JSON, or not a valid cluster profile.
 * The message names the file, the field path and what is wrong, e.g.
 * `profile ops.yaml: hosts[1].address is required unless local is true`.
 */
export class ProfileError extends SwitchboardError {
  /** The profile reference as the operator gave it (a path, or `local`). */
  readonly file: string;
  /** One line per problem, each starting with the field path. */
  readonly issues: readonly string[];

  constructor(file: string, issues: readonly string[]) {
    super('profile.invalid', { message: `profile ${file}: ${issues.join('; ')}` });
    this.name = 'ProfileError';
    this.file = file;
    this.issues = issues;
  }
}

type Issue = z.core.$ZodIssue;

/**
 * `hosts[1].address` for the path `['hosts', 1, 'address']`; `(top level)` for none.
 * @example fieldPath(['hosts', 1, 'address']) // 'hosts[1].address'
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${String(part)}`;
  return text || '(top level)';
}

/** The value at `path` inside `input`, or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

/** How YAML and JSON authors name a value's kind. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = { object: 'a mapping (key: value)', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' };

/** The problem, in words that follow the field path. Schema messages are already phrased so ("must be ..."). */
function problem(issue: Issue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(value)}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} item(s)`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * One line per zod issue: the field path, then what is wrong. For a union (Redis is a URL or a
 * Sentinel set) the branch with the fewest problems is reported: the one the author meant.
 */
export function describeIssues(issues: readonly Issue[], input: unknown, base: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && valueAt(input, path) !== undefined) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      lines.push(...describeIssues(closest, input, path));
      continue;
    }
    lines.push(`${fieldPath(path)} ${problem(issue, valueAt(input, path))}`);
  }
  return lines;
}
