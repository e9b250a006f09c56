import { clusterProfileSchema, type ClusterProfile } from '@switchboard/shared';
import { formToInput, type ProfileForm } from './profile-form.js';

/**
 * Checks the editor's form with clusterProfileSchema and puts each message on its field:
 * `name`, `redisUrl`, `hosts.0.address`, `hosts.1.nodes`… Messages the form has no field for
 * are returned apart, so none is lost.
 */

/** Messages by field key. */
export type FieldErrors = Record<string, string>;

/** The outcome of a check. */
export interface ProfileValidation {
  /** The profile to save, when valid. */
  profile: ClusterProfile | null;
  errors: FieldErrors;
  /** Messages with no field of their own. */
  other: string[];
}

interface Issue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: Issue[][];
}

const REDIS_FIELDS: Record<string, string> = { url: 'redisUrl', sentinels: 'sentinels', masterName: 'masterName', passwordSecret: 'redisPasswordSecret' };
const POSTGRES_FIELDS: Record<string, string> = { url: 'postgresUrl', passwordSecret: 'postgresPasswordSecret' };
const TOP_FIELDS = new Set(['name', 'cluster', 'apiUrl']);

/** The field key an issue path points at, or undefined. */
export function fieldKey(path: readonly PropertyKey[], form: ProfileForm): string | undefined {
  const [head, second, third, fourth] = path.map(String);
  if (head === undefined) return undefined;
  if (path.length === 1 && TOP_FIELDS.has(head)) return head;
  if (head === 'redis') return second ? REDIS_FIELDS[second] : form.redisMode === 'url' ? 'redisUrl' : 'sentinels';
  if (head === 'postgres') return second ? POSTGRES_FIELDS[second] : 'postgresUrl';
  if (head === 'hosts' && second !== undefined && third !== undefined) {
    if (third === 'nodectl') return `hosts.${second}.${fourth === 'config' ? 'nodectlConfig' : 'nodectlCommand'}`;
    return `hosts.${second}.${third}`;
  }
  return undefined;
}

/** Issues with unions opened up: the branch matching the chosen Redis mode speaks for it. */
function flatten(issues: readonly Issue[], form: ProfileForm): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors) return [issue];
    const branch = issue.errors[form.redisMode === 'url' ? 0 : 1] ?? issue.errors[0] ?? [];
    return flatten(branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })), form);
  });
}

/**
 * Validates the form; the first message per field wins.
 * @example const { profile, errors } = validateProfileForm(form); errors['hosts.0.address']
 */
export function validateProfileForm(form: ProfileForm): ProfileValidation {
  const parsed = clusterProfileSchema.safeParse(formToInput(form));
  if (parsed.success) return { profile: parsed.data, errors: {}, other: [] };
  const errors: FieldErrors = {};
  const other: string[] = [];
  for (const issue of flatten(parsed.error.issues as unknown as Issue[], form)) {
    const key = fieldKey(issue.path, form);
    if (key === undefined) other.push(`${issue.path.map(String).join('.') || 'profile'}: ${issue.message}`);
    else errors[key] ??= issue.message;
  }
  return { profile: null, errors, other };
}
