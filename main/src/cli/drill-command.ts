import { access, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { SwitchboardError, type DrillEvent, type DrillScenario } from '@switchboard/shared';
import type { Logger } from 'pino';
import { AuditLog } from '../core/audit/index.js';
import { builtinScenario, describeScenarioIssues, DrillService, validateScenarioText } from '../core/drills/index.js';
import type { ProfileEnv } from '../core/profiles/index.js';
import { loadProfile } from '../core/profiles/index.js';
import type { SecretStore } from '../core/secrets/index.js';

/** Where the CLI keeps drill runs unless SB_DRILLS_DIR says otherwise: `~/.switchboard/drills`. */
export function defaultDrillsDir(env: ProfileEnv): string {
  return env.SB_DRILLS_DIR || join(env.HOME || homedir(), '.switchboard', 'drills');
}

/** What `drill run` needs from the command line's composition. */
export interface DrillCommandDeps {
  scenario: string;
  profile: string;
  json: boolean;
  report: string | undefined;
  env: ProfileEnv;
  dataDir: string;
  secrets: SecretStore;
  log: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((done) => stream.write(text, () => done()));
}

/** A scenario named on the command line: a built-in, a saved one, or a file (read and validated). */
async function resolveScenario(ref: string, service: DrillService): Promise<DrillScenario | string> {
  if (builtinScenario(ref)) return ref;
  const isFile = ['.yaml', '.yml', '.json'].includes(extname(ref).toLowerCase());
  if (!isFile) {
    const saved = (await service.listScenarios()).find((listing) => listing.name === ref);
    if (saved) return saved.scenario;
    throw new SwitchboardError('drill.not_found', { message: `No scenario ${JSON.stringify(ref)}: use a built-in (${(await service.listScenarios()).map((s) => s.name).join(', ')}) or a .yaml/.json file.` });
  }
  const path = resolve(ref);
  const text = await access(path)
    .then(() => readFile(path, 'utf8'))
    .catch((err: NodeJS.ErrnoException) => {
      throw new SwitchboardError('drill.invalid_scenario', { message: `Scenario ${ref} cannot be read (${err.code ?? err.message}).` });
    });
  const result = validateScenarioText(text);
  if (!result.ok) throw new SwitchboardError('drill.invalid_scenario', { message: `Scenario ${ref} is invalid: ${describeScenarioIssues(result.issues)}.` });
  return result.scenario;
}

/** A progress line for a live event, or nothing. */
function progressLine(event: DrillEvent, startedAt: number, total: number): string | undefined {
  const clock = (at: number) => `[${((at - startedAt) / 1000).toFixed(1).padStart(6)} s]`;
  switch (event.type) {
    case 'run-started':
      return `${clock(event.at)} drill ${event.scenario} (run ${event.runId}) on ${event.profile}: nodes ${event.nodes.join(', ') || 'none'}`;
    case 'phase':
      return event.phase === 'baseline' ? `${clock(event.at)} probes running; measuring the steady state` : event.phase === 'restore' ? `${clock(event.at)} restoring the cluster` : undefined;
    case 'step-started':
      return `${clock(event.at)} step ${event.index + 1}/${total} ${event.action}: ${event.description}`;
    case 'step-finished':
      return `${clock(event.at)} step ${event.step.index + 1}/${total} ${event.step.ok ? 'done' : 'FAILED'} in ${((event.at - event.step.startedAt) / 1000).toFixed(1)} s${event.step.targets.length ? ` (${event.step.targets.join(', ')})` : ''}${event.step.error ? `: ${event.step.error}` : ''}`;
    case 'mark':
      return ['leader-lost', 'new-leader', 'node-gone', 'node-back', 'abort', 'restored'].includes(event.mark.kind) ? `${clock(event.mark.at)}   ${event.mark.kind}: ${event.mark.detail}` : undefined;
    case 'verdict':
      return `${clock(event.at)} verdict ${event.verdict}: lost ${event.lost}, unexpected ${event.unexpected}, recovered ${event.recovered}, reordered ${event.reordered}`;
    default:
      return undefined;
  }
}

/**
 * `switchboard drill run`: runs one drill with a progress line per step on stderr, Ctrl-C or
 * SIGTERM halting it (the cluster is restored, the verdict is Stopped). Prints the report as
 * JSON (`--json`) or a summary, writes the HTML report (`--report`). Exit: 0 Pass, 1 Fail or Stopped.
 */
export async function runDrillCommand(deps: DrillCommandDeps): Promise<number> {
  const profile = await loadProfile(deps.profile, deps.env);
  const service = new DrillService({ dir: defaultDrillsDir(deps.env), dataDir: deps.dataDir, secrets: deps.secrets, audit: AuditLog.inDataDir(deps.dataDir), log: deps.log, env: deps.env });
  const scenario = await resolveScenario(deps.scenario, service);
  const total = typeof scenario === 'string' ? builtinScenario(scenario)!.steps.length : scenario.steps.length;
  const startedAt = Date.now();
  const lines: Promise<void>[] = [];
  const listening = service.onEvent((event) => {
    const line = progressLine(event, startedAt, total);
    if (line) lines.push(write(deps.stderr, `${line}\n`));
  });
  let runId: string | undefined;
  let signalled: NodeJS.Signals | undefined;
  const detach = deps.onSignal((signal) => {
    signalled = signal;
    lines.push(write(deps.stderr, `${signal}: halting the drill and restoring the cluster (a second Ctrl-C quits at once, restoring nothing)\n`));
    if (runId) void service.halt(runId).catch(() => undefined);
  });
  try {
    ({ runId } = await service.start(scenario, profile));
    if (signalled) void service.halt(runId).catch(() => undefined);
    const report = await service.finished(runId);
    await Promise.all(lines);
    if (deps.report) await writeFile(resolve(deps.report), await service.getReportHtml(runId));
    if (deps.json) await write(deps.stdout, `${JSON.stringify(report)}\n`);
    else {
      const failed = report.thresholds.filter((threshold) => !threshold.pass).map((threshold) => threshold.name);
      await write(
        deps.stdout,
        `${report.verdict}: ${report.reason}\nlost ${report.lost}, unexpected ${report.unexpected}, recovered ${report.recovered}, reordered ${report.reordered}, probe success ${report.probeSuccessPercent}%${failed.length ? `; failed thresholds: ${failed.join(', ')}` : ''}\nreport: ${join(defaultDrillsDir(deps.env), 'runs', runId, 'report.html')}${deps.report ? ` and ${deps.report}` : ''}\n`,
      );
    }
    return report.verdict === 'Pass' ? 0 : 1;
  } finally {
    detach();
    listening.dispose();
  }
}
