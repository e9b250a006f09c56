import { SwitchboardError, validateScenarioValue, type ClusterProfile, type DrillEvent, type DrillReport, type DrillRunSummary, type DrillScenario, type ScenarioValidation } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { createTransportFactory, HostService, type TransportFactory } from '../hosts/index.js';
import { openRedis, redisTargetFromProfile } from '../observer/redis-target.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { BUILTIN_SCENARIOS, builtinScenario } from './builtin-scenarios.js';
import { DrillRun } from './drill-run.js';
import { missingControls } from './preflight.js';
import { renderReportHtml } from './report-html.js';
import { DrillRunStore } from './run-store.js';
import { describeScenarioIssues, validateScenarioText } from './scenario-text.js';

/** The secret holding the probe users' password (web mode and CLI: SB_SECRET_PROBE_PASSWORD). */
export const DRILL_PROBE_PASSWORD_SECRET = 'probe-password';

/** What the drill service needs. */
export interface DrillServiceDeps {
  /** Where scenarios, runs and reports persist (the console's `<dataDir>/drills`, the CLI's `~/.switchboard/drills`). */
  dir: string;
  /** The console's data directory (its known_hosts for SSH lives there). */
  dataDir: string;
  secrets: SecretStore;
  audit: AuditLog;
  log: Logger;
  /** The environment local host commands run in. */
  env: Readonly<Record<string, string | undefined>>;
  /** @default createTransportFactory({ env }) */
  transports?: TransportFactory;
}

/** A scenario the service offers. */
export interface ScenarioListing {
  name: string;
  description: string;
  builtIn: boolean;
  scenario: DrillScenario;
}

/** The run in progress. */
export interface CurrentRun {
  runId: string;
  scenario: string;
  profile: string;
  startedAt: number;
  phase: DrillRun['phase'];
  /** The step running (index), or null. */
  step: number | null;
}

/** Stops a listener. */
export interface Disposable {
  dispose(): void;
}

interface Active {
  runId: string;
  run: DrillRun;
  scenario: DrillScenario;
  profile: ClusterProfile;
  done: Promise<DrillReport>;
}

/**
 * Failover drills: the scenarios (built-in and saved), one run at a time with live events, halt,
 * and the history of past runs with their reports (JSON and self-contained HTML) on disk. The
 * console's Drills view and `switchboard drill run` both sit on it.
 */
export class DrillService {
  readonly #deps: DrillServiceDeps;
  readonly #store: DrillRunStore;
  readonly #listeners = new Set<(event: DrillEvent) => void>();
  #active: Active | undefined;

  constructor(deps: DrillServiceDeps) {
    this.#deps = deps;
    this.#store = new DrillRunStore(deps.dir);
  }

  /** Built-in scenarios, then saved custom ones. */
  async listScenarios(): Promise<ScenarioListing[]> {
    const saved = await this.#store.listScenarios();
    return [
      ...BUILTIN_SCENARIOS.map((scenario) => ({ name: scenario.name, description: scenario.description ?? '', builtIn: true, scenario })),
      ...saved.filter((scenario) => !builtinScenario(scenario.name)).map((scenario) => ({ name: scenario.name, description: scenario.description ?? '', builtIn: false, scenario })),
    ];
  }

  /** Validates scenario text (YAML or JSON): the scenario, or every issue with its field path. */
  validate(text: string): ScenarioValidation {
    return validateScenarioText(text);
  }

  /**
   * Saves a custom scenario (text or a value), validated; a built-in's name is refused.
   * Throws `drill.invalid_scenario` naming every wrong field.
   */
  async saveScenario(input: string | unknown): Promise<DrillScenario> {
    const scenario = this.#parse(input);
    if (builtinScenario(scenario.name)) throw new SwitchboardError('drill.invalid_scenario', { detail: `name: ${scenario.name} is a built-in scenario; choose another name` });
    await this.#store.saveScenario(scenario);
    return scenario;
  }

  /** A scenario by name (built-in first, then saved), or `drill.not_found`. */
  async scenario(name: string): Promise<DrillScenario> {
    const found = builtinScenario(name) ?? (await this.#store.listScenarios()).find((scenario) => scenario.name === name);
    if (!found) throw new SwitchboardError('drill.not_found', { detail: `no scenario named ${JSON.stringify(name)} (built-in: ${BUILTIN_SCENARIOS.map((s) => s.name).join(', ')})` });
    return found;
  }

  /**
   * Starts a drill against `profile`: a scenario value, or the name of a built-in or saved one.
   * Refused before anything is touched when another run is in progress (`drill.already_running`),
   * the scenario is invalid (`drill.invalid_scenario`) or the profile lacks a control a step
   * needs (`drill.missing_control`, naming the setting). Resolves once the run has begun.
   */
  async start(scenarioInput: DrillScenario | string, profile: ClusterProfile): Promise<{ runId: string }> {
    this.#refuseIfBusy();
    const scenario = typeof scenarioInput === 'string' ? await this.scenario(scenarioInput) : this.#parse(scenarioInput);
    const missing = missingControls(scenario, profile);
    if (missing.length > 0) throw new SwitchboardError('drill.missing_control', { message: `The profile ${profile.name} lacks what drill ${scenario.name} needs: ${missing.join('; ')}.`, detail: missing.join('; ') });
    const secret = await this.#deps.secrets.get(DRILL_PROBE_PASSWORD_SECRET);
    if (secret !== undefined && (secret.length < 8 || secret.length > 72)) {
      throw new SwitchboardError('drill.missing_control', { message: `The secret "${DRILL_PROBE_PASSWORD_SECRET}" must be 8 to 72 characters (secrets come from ${this.#deps.secrets.describeSecretSource()}).` });
    }
    const password = secret ?? (await this.#store.generatedProbePassword());
    const redisPassword = profile.redis.passwordSecret === undefined ? undefined : await this.#deps.secrets.get(profile.redis.passwordSecret);
    if (profile.redis.passwordSecret !== undefined && redisPassword === undefined) throw new SwitchboardError('drill.missing_control', { message: `The secret "${profile.redis.passwordSecret}" (redis.passwordSecret) is not set.` });
    // Re-checked: another start may have slipped in while the secrets were read.
    this.#refuseIfBusy();
    const runId = DrillRunStore.newRunId();
    const log = this.#deps.log.child({ drillId: runId });
    const hosts = new HostService({ profile, secrets: this.#deps.secrets, audit: this.#deps.audit, dataDir: this.#deps.dataDir, transports: this.#deps.transports ?? createTransportFactory({ env: this.#deps.env }), log });
    const redis = openRedis(redisTargetFromProfile(profile, redisPassword), 'commands', `switchboard-drill:${runId}`);
    const run = new DrillRun({ runId, scenario, profile, hosts, redis, probePassword: password, ...(redisPassword === undefined ? {} : { redisPassword }), log, emit: (event) => this.#emit(event) });
    const summary: DrillRunSummary = { runId, scenario: scenario.name, profile: profile.name, verdict: null, state: 'running', startedAt: run.startedAt, endedAt: null, lost: null, reason: null };
    await this.#store.writeSummary(summary);
    const done = this.#execute(run, redis, hosts, summary);
    this.#active = { runId, run, scenario, profile, done };
    return { runId };
  }

  /** Aborts the run `runId` now: it restores the cluster and ends Stopped. Resolves with its report. */
  async halt(runId: string): Promise<DrillReport> {
    const active = this.#active;
    if (!active || active.runId !== runId) throw new SwitchboardError('drill.not_found', { detail: `no run ${JSON.stringify(runId)} is in progress` });
    active.run.halt('halted by the operator');
    return active.done;
  }

  /** The run in progress, or null. */
  current(): CurrentRun | null {
    const active = this.#active;
    if (!active) return null;
    return { runId: active.runId, scenario: active.scenario.name, profile: active.profile.name, startedAt: active.run.startedAt, phase: active.run.phase, step: active.run.stepIndex };
  }

  /** The report of the run in progress once it has one (for the CLI). */
  finished(runId: string): Promise<DrillReport> {
    if (this.#active?.runId === runId) return this.#active.done;
    return this.getReport(runId);
  }

  /** Live events of every run (see DrillEvent). */
  onEvent(listener: (event: DrillEvent) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => void this.#listeners.delete(listener) };
  }

  /**
   * Past and current runs, newest first, with their verdicts. A run recorded as running that is
   * not this service's current one was cut short (its process ended): it is listed finished,
   * without a verdict.
   */
  async listRuns(): Promise<DrillRunSummary[]> {
    const runs = await this.#store.listRuns();
    return runs.map((run) => (run.state === 'running' && run.runId !== this.#active?.runId ? { ...run, state: 'finished', reason: 'interrupted: the process running it ended before a verdict' } : run));
  }

  /** A finished run's report (JSON). */
  getReport(runId: string): Promise<DrillReport> {
    return this.#store.readReport(runId);
  }

  /** A finished run's report as a self-contained HTML page. */
  getReportHtml(runId: string): Promise<string> {
    return this.#store.readReportHtml(runId);
  }

  /** Halts a run in progress and waits for it (console shutdown). */
  async close(): Promise<void> {
    const active = this.#active;
    if (!active) return;
    active.run.halt('the console is shutting down');
    await active.done.catch(() => undefined);
  }

  #refuseIfBusy(): void {
    const active = this.#active;
    if (active) throw new SwitchboardError('drill.already_running', { detail: `run ${active.runId} (${active.scenario.name}) is in progress` });
  }

  #parse(input: unknown): DrillScenario {
    const result = typeof input === 'string' ? validateScenarioText(input) : validateScenarioValue(input);
    if (!result.ok) throw new SwitchboardError('drill.invalid_scenario', { detail: describeScenarioIssues(result.issues) });
    return result.scenario;
  }

  async #execute(run: DrillRun, redis: Redis, hosts: HostService, summary: DrillRunSummary): Promise<DrillReport> {
    try {
      // At most one connect timeout; a Redis that cannot be reached ends the run Stopped, untouched.
      await redis.connect().catch(() => undefined);
      const report = await run.run();
      await this.#store.writeReport(report, renderReportHtml(report));
      await this.#store.writeSummary({ ...summary, verdict: report.verdict, state: 'finished', endedAt: report.endedAt, lost: report.lost, reason: report.reason });
      return report;
    } finally {
      redis.disconnect();
      await hosts.close();
      this.#active = undefined;
    }
  }

  #emit(event: DrillEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.#deps.log.error({ err }, 'drill event listener threw');
      }
    }
  }
}
