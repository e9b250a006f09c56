import { SwitchboardError } from '@switchboard/shared';
import type { z } from 'zod';

/**
 * Validates a service's input at its boundary: the parsed value (defaults applied), or
 * `console.invalid_argument` naming the first offending field.
 * @example const query = parseInput(presenceUsersQuerySchema, input, 'presenceUsers');
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(input)';
  throw new SwitchboardError('console.invalid_argument', { detail: `${what}: ${path} ${issue?.message ?? 'is invalid'}` });
}
