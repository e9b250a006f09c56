import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { drillReportSchema, drillRunSummarySchema, SwitchboardError, type DrillReport, type DrillRunSummary, type DrillScenario } from '@switchboard/shared';
import { stringify } from 'yaml';
import { validateScenarioText } from './scenario-text.js';

/** Run ids: a sortable time prefix and a random suffix. */
export const RUN_ID_PATTERN = /^[0-9]{8}t[0-9]{6}-[a-z0-9]{6}$/;

/** The name of a scenario file in the store. */
const SCENARIO_FILE = /^([a-z0-9][a-z0-9-]{0,62})\.yaml$/;

/** Writes `text` to `path` atomically (aside, then renamed). */
async function writeAtomic(path: string, text: string): Promise<void> {
  const partial = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(partial, text, { mode: 0o600 });
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw new SwitchboardError('drill.failed', { detail: `cannot write ${path}: ${(err as Error).message}`, cause: err });
  }
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Where drills persist, under one directory (the console's data dir `drills/`, or the CLI's
 * `~/.switchboard/drills`): `scenarios/<name>.yaml` (saved custom scenarios) and
 * `runs/<runId>/{run.json,report.json,report.html}` (history with verdicts), so both survive restarts.
 * Everything read back is validated; a damaged file is skipped, never trusted.
 */
export class DrillRunStore {
  readonly #runs: string;
  readonly #scenarios: string;

  constructor(readonly dir: string) {
    this.#runs = join(dir, 'runs');
    this.#scenarios = join(dir, 'scenarios');
  }

  /** A new run id (sortable by time). */
  static newRunId(now: number = Date.now()): string {
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', 't').slice(0, 15);
    return `${stamp}-${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
  }

  /** Saves a custom scenario as YAML (replacing one of the same name). */
  async saveScenario(scenario: DrillScenario): Promise<string> {
    await mkdir(this.#scenarios, { recursive: true });
    const path = join(this.#scenarios, `${scenario.name}.yaml`);
    await writeAtomic(path, stringify(scenario));
    return path;
  }

  /** Every saved custom scenario that still validates, by name. */
  async listScenarios(): Promise<DrillScenario[]> {
    const names = await readdir(this.#scenarios).catch(() => [] as string[]);
    const found: DrillScenario[] = [];
    for (const name of names.filter((candidate) => SCENARIO_FILE.test(candidate)).sort()) {
      const text = await readIfThere(join(this.#scenarios, name));
      const result = text === undefined ? undefined : validateScenarioText(text);
      if (result?.ok) found.push(result.scenario);
    }
    return found;
  }

  /**
   * The probe users' password when no secret names one: generated once (24 random bytes,
   * base64url) and kept in `probe-password` (mode 600) beside the runs, so later drills log the
   * same users in.
   */
  async generatedProbePassword(): Promise<string> {
    const path = join(this.dir, 'probe-password');
    const existing = (await readIfThere(path))?.trim();
    if (existing && existing.length >= 8 && existing.length <= 72) return existing;
    await mkdir(this.dir, { recursive: true });
    const password = randomBytes(24).toString('base64url');
    await writeAtomic(path, `${password}\n`);
    return password;
  }

  /** Writes (or rewrites) a run's summary. */
  async writeSummary(summary: DrillRunSummary): Promise<void> {
    const dir = this.#runDir(summary.runId);
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, 'run.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }

  /** Writes a finished run's report as JSON and HTML. */
  async writeReport(report: DrillReport, html: string): Promise<void> {
    const dir = this.#runDir(report.runId);
    await mkdir(dir, { recursive: true });
    await writeAtomic(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeAtomic(join(dir, 'report.html'), html);
  }

  /** Past and current runs, newest first. A run left `running` by a process that died reads as such. */
  async listRuns(): Promise<DrillRunSummary[]> {
    const ids = (await readdir(this.#runs).catch(() => [] as string[])).filter((id) => RUN_ID_PATTERN.test(id));
    const summaries: DrillRunSummary[] = [];
    for (const id of ids) {
      const text = await readIfThere(join(this.#runs, id, 'run.json'));
      if (text === undefined) continue;
      try {
        const parsed = drillRunSummarySchema.safeParse(JSON.parse(text));
        if (parsed.success) summaries.push(parsed.data);
      } catch {
        // a damaged summary is skipped
      }
    }
    return summaries.sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
  }

  /** A finished run's report; `drill.not_found` when there is none (yet). */
  async readReport(runId: string): Promise<DrillReport> {
    const text = await readIfThere(join(this.#runDir(runId), 'report.json'));
    if (text === undefined) throw new SwitchboardError('drill.not_found', { detail: `no report for run ${runId}` });
    const parsed = drillReportSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new SwitchboardError('drill.failed', { detail: `the report of run ${runId} is damaged` });
    return parsed.data;
  }

  /** A finished run's HTML report. */
  async readReportHtml(runId: string): Promise<string> {
    const text = await readIfThere(join(this.#runDir(runId), 'report.html'));
    if (text === undefined) throw new SwitchboardError('drill.not_found', { detail: `no report for run ${runId}` });
    return text;
  }

  /** Where a run's files go; refuses anything but a run id (no path tricks). */
  #runDir(runId: string): string {
    if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) throw new SwitchboardError('drill.not_found', { detail: `invalid run id ${JSON.stringify(runId)}` });
    return join(this.#runs, runId);
  }
}
