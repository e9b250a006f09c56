import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SwitchboardError, type ClusterProfile, type ProfileSummary } from '@switchboard/shared';
import { LOCAL_PROFILE_NAME, listProfiles, loadProfile, saveProfile, type ProfileEnv } from '../core/profiles/index.js';

/**
 * The profiles the console knows, by name: the built-in `local`, the one given on the command
 * line (a file), and the valid files of `<dataDir>/profiles/`. Earlier sources win a name clash.
 * `save` writes into the folder only (never over the command-line file, never `local`).
 */

/** The profiles folder inside the console's data directory. @default 'profiles' */
export const PROFILES_FOLDER = 'profiles';

/** What the catalog needs. */
export interface ProfileCatalogDeps {
  dataDir: string;
  /** The environment `local` reads its overrides from. */
  env: ProfileEnv;
  /** The profile file named on the command line, if any (not `local`). */
  commandLineFile?: string;
}

/** A profile found, and where. */
interface Entry extends ProfileSummary {
  load(): Promise<ClusterProfile>;
}

/**
 * Lists, reads and saves profiles by name.
 * @example const catalog = new ProfileCatalog({ dataDir, env: process.env }); const profile = await catalog.load('local');
 */
export class ProfileCatalog {
  readonly #deps: ProfileCatalogDeps;

  constructor(deps: ProfileCatalogDeps) {
    this.#deps = deps;
  }

  /** The profiles folder. */
  get folder(): string {
    return join(this.#deps.dataDir, PROFILES_FOLDER);
  }

  /** Every known profile, `local` first, one per name. Invalid files in the folder are left out. */
  async list(): Promise<ProfileSummary[]> {
    return (await this.#entries()).map(({ load: _load, ...summary }) => summary);
  }

  /** The profile named `name` and its summary; `profile.not_found` when none has it. */
  async get(name: string): Promise<ProfileSummary & { profile: ClusterProfile }> {
    const entry = (await this.#entries()).find((candidate) => candidate.name === name);
    if (!entry) throw new SwitchboardError('profile.not_found', { detail: `profile=${JSON.stringify(name)}; known: see profiles.list` });
    const { load, ...summary } = entry;
    return { ...summary, profile: await load() };
  }

  /** Validates and writes `profile` to `<folder>/<name>.yaml`; `local` and the command-line profile's name are refused. */
  async save(profile: unknown): Promise<ProfileSummary> {
    const name = (profile as { name?: unknown } | null)?.name;
    const reserved = (await this.#entries()).find((entry) => entry.name === name && entry.source !== 'folder');
    if (reserved) {
      throw new SwitchboardError('profile.invalid', { message: `profile ${String(name)}: the name is taken by the ${reserved.source} profile; choose another`, detail: `name=${String(name)}` });
    }
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(name)) {
      throw new SwitchboardError('profile.invalid', { message: 'profile: name must be 1-63 lowercase letters, digits, "-" or "_"' });
    }
    const path = join(this.folder, `${name}.yaml`);
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const saved = await saveProfile(path, profile);
    return { name: saved.name, source: 'folder', path, cluster: saved.cluster };
  }

  async #entries(): Promise<Entry[]> {
    const env = this.#deps.env;
    const entries: Entry[] = [];
    const add = (entry: Entry) => {
      if (!entries.some((known) => known.name === entry.name)) entries.push(entry);
    };
    const local = await loadProfile(LOCAL_PROFILE_NAME, env);
    add({ name: local.name, source: 'builtin', path: null, cluster: local.cluster, load: () => loadProfile(LOCAL_PROFILE_NAME, env) });
    const file = this.#deps.commandLineFile;
    if (file && file !== LOCAL_PROFILE_NAME) {
      const profile = await loadProfile(file, env);
      const path = resolve(file);
      add({ name: profile.name, source: 'command-line', path, cluster: profile.cluster, load: () => loadProfile(path, env) });
    }
    for (const listing of await listProfiles(this.folder)) {
      if (listing.name === undefined || listing.cluster === undefined) continue;
      const path = listing.path;
      add({ name: listing.name, source: 'folder', path, cluster: listing.cluster, load: () => loadProfile(path, env) });
    }
    return entries;
  }
}

