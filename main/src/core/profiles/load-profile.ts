import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { clusterProfileSchema, type ClusterProfile } from '@switchboard/shared';
import { parseDocument, stringify } from 'yaml';
import { LOCAL_PROFILE_NAME, localProfile } from './local-profile.js';
import { describeIssues, ProfileError } from './profile-error.js';

/** The environment a profile reference is resolved in (the local profile reads SB_* overrides). */
export type ProfileEnv = Readonly<Record<string, string | undefined>>;

/** File extensions a profile may have. */
export const PROFILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parses YAML or JSON text into a plain value; a syntax error is a ProfileError naming the line. */
function parseText(text: string, file: string, format: 'yaml' | 'json'): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const position = /at position (\d+)/.exec(message);
      const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
      const what = message.replace(/ in JSON at position \d+.*$/, '');
      throw new ProfileError(file, [`JSON syntax error${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${what}`]);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ProfileError(file, [`YAML syntax error${where ? ` at line ${where.line}, column ${where.col}` : ''}: ${what}`]);
  }
  return doc.toJS();
}

/**
 * Parses and validates profile text. `file` only names the profile in error messages.
 * @example parseProfileText('name: ops\ncluster: prod\n...', 'ops.yaml', 'yaml')
 */
export function parseProfileText(text: string, file: string, format: 'yaml' | 'json'): ClusterProfile {
  const input = parseText(text, file, format);
  if (input === null || input === undefined) throw new ProfileError(file, ['the file is empty']);
  const result = clusterProfileSchema.safeParse(input);
  if (!result.success) throw new ProfileError(file, describeIssues(result.error.issues, input));
  return result.data;
}

/** `yaml` or `json` from the file name, or a ProfileError. */
function formatOf(file: string): 'yaml' | 'json' {
  const ext = extname(file).toLowerCase();
  if (!PROFILE_EXTENSIONS.includes(ext)) {
    throw new ProfileError(file, [`must be a ${PROFILE_EXTENSIONS.join(', ')} file, or the name ${LOCAL_PROFILE_NAME}`]);
  }
  return ext === '.json' ? 'json' : 'yaml';
}

/**
 * Loads a profile: `local` is the built-in profile of the demo cluster on this machine (see
 * localProfile); anything else is a .yaml, .yml or .json file, relative to the current
 * directory. Any problem is a {@link ProfileError} naming the file, the field and what is wrong.
 * @example await loadProfile('ops/prod.yaml', process.env)
 */
export async function loadProfile(ref: string, env: ProfileEnv = {}): Promise<ClusterProfile> {
  if (ref === LOCAL_PROFILE_NAME) return localProfile(env);
  const format = formatOf(ref);
  let text: string;
  try {
    text = await readFile(resolve(ref), 'utf8');
  } catch (err) {
    throw new ProfileError(ref, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseProfileText(text, ref, format);
}

/**
 * Validates `profile` and writes it to `path` (YAML, or JSON for a .json path), atomically:
 * written aside, then renamed into place. Nothing is written when validation fails. Returns the
 * validated profile (defaults applied); the file keeps what was given.
 */
export async function saveProfile(path: string, profile: unknown): Promise<ClusterProfile> {
  const format = formatOf(path);
  const result = clusterProfileSchema.safeParse(profile);
  if (!result.success) throw new ProfileError(path, describeIssues(result.error.issues, profile));
  const text = format === 'json' ? `${JSON.stringify(profile, null, 2)}\n` : stringify(profile);
  const partial = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(partial, text, { mode: 0o600 });
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw new ProfileError(path, [`cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return result.data;
}

/** One profile file found by {@link listProfiles}: its summary, or why it cannot be used. */
export interface ProfileListing {
  path: string;
  name?: string;
  cluster?: string;
  hosts?: number;
  /** The ProfileError message when the file is not a valid profile. */
  error?: string;
}

/**
 * Every .yaml, .yml and .json file directly in `dir`, sorted by name, each loaded: a summary
 * when valid, the error message when not. A missing directory lists nothing.
 */
export async function listProfiles(dir: string): Promise<ProfileListing[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = names.filter((name) => PROFILE_EXTENSIONS.includes(extname(name).toLowerCase())).sort();
  return Promise.all(
    files.map(async (name): Promise<ProfileListing> => {
      const path = join(dir, name);
      try {
        const profile = await loadProfile(path);
        return { path, name: profile.name, cluster: profile.cluster, hosts: profile.hosts.length };
      } catch (err) {
        if (err instanceof ProfileError) return { path, error: err.message };
        throw err;
      }
    }),
  );
}
