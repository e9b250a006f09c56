import { MAX_REPLAYED_DRILL_EVENTS, SwitchboardError, type ClusterProfile, type DrillEvent, type DrillProgress, type DrillScenario, type DrillScenarioEntry } from '@switchboard/shared';
import type { Logger } from 'pino';
import { stringify } from 'yaml';
import type { DrillService, ScenarioListing } from '../core/drills/index.js';
import type { DrillServices, Unsubscribe } from '../ipc/services.js';

/**
 * The `drills.*` console services over the drill engine (core/drills DrillService): runs target
 * the profile the console watches; live events are numbered per run and kept (bounded) so a
 * view that opens mid-run, or a reloaded page, gets the run whole from `drills.current`; Halt
 * returns at once while the engine aborts and restores.
 */

/** What the adapter needs. */
export interface DrillServicesDeps {
  drills: DrillService;
  /** The profile the console watches now (drills run against it). */
  profile(): ClusterProfile;
  log: Logger;
}

/** The services and a way to stop listening to the engine. */
export interface DrillServiceSet {
  services: DrillServices;
  close(): void;
}

/** The events of the current (or last) run, numbered, with the oldest samples dropped first past the cap. */
class RunEvents {
  runId: string | null = null;
  running = false;
  events: DrillProgress[] = [];
  #next = 0;

  add(event: DrillEvent): DrillProgress {
    if (event.runId !== this.runId) {
      this.runId = event.runId;
      this.events = [];
      this.#next = 0;
    }
    this.running = event.type !== 'verdict';
    const progress: DrillProgress = { runId: event.runId, seq: this.#next++, event };
    if (this.events.length >= MAX_REPLAYED_DRILL_EVENTS) this.#makeRoom();
    this.events.push(progress);
    return progress;
  }

  /** Drops the oldest sample, else the oldest mark, else the oldest event but the first. */
  #makeRoom(): void {
    const sample = this.events.findIndex((p) => p.event.type === 'sample');
    const mark = sample >= 0 ? sample : this.events.findIndex((p) => p.event.type === 'mark');
    this.events.splice(mark >= 0 ? mark : 1, 1);
  }
}

function entry(scenario: DrillScenario, builtIn: boolean): DrillScenarioEntry {
  return { name: scenario.name, source: builtIn ? 'builtin' : 'saved', scenario, text: stringify(scenario) };
}

/**
 * Builds the `drills.*` services; `close()` stops following the engine's events.
 * @example const set = createDrillServices({ drills, profile: () => holder.current.profile, log });
 */
export function createDrillServices(deps: DrillServicesDeps): DrillServiceSet {
  const { drills, log } = deps;
  const run = new RunEvents();
  const listeners = new Set<(progress: DrillProgress) => void>();
  const deliver = (progress: DrillProgress) => {
    for (const listener of [...listeners]) listener(progress);
  };
  const subscription = drills.onEvent((event) => {
    const progress = run.add(event);
    if (event.type !== 'verdict') return deliver(progress);
    // The verdict goes out once the engine has written the report and the history, so a caller
    // that reads them on hearing it finds them there.
    void drills.finished(event.runId).then(
      () => deliver(progress),
      () => deliver(progress),
    );
  });
  const services: DrillServices = {
    listScenarios: async () => ({ scenarios: (await drills.listScenarios()).map((listing: ScenarioListing) => entry(listing.scenario, listing.builtIn)) }),
    validateScenario: (text) => drills.validate(text),
    saveScenario: async (text) => entry(await drills.saveScenario(text), false),
    async start(input) {
      if ('scenario' in input) return drills.start(input.scenario, deps.profile());
      const validation = drills.validate(input.text);
      if (!validation.ok) throw new SwitchboardError('drill.invalid_scenario', { detail: validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') });
      return drills.start(validation.scenario, deps.profile());
    },
    halt(runId) {
      if (drills.current()?.runId !== runId || (run.runId === runId && !run.running)) return { runId, halted: false };
      // The engine resolves once the cluster is restored; the caller hears of it through events.
      drills.halt(runId).catch((err: unknown) => log.warn({ err, drillId: runId }, 'drill halt failed'));
      return { runId, halted: true };
    },
    current: () => ({ run: run.runId === null ? null : { runId: run.runId, running: run.running && drills.current()?.runId === run.runId, events: [...run.events] } }),
    listRuns: async () => ({ runs: await drills.listRuns() }),
    getReport: (runId) => drills.getReport(runId),
    getReportHtml: async (runId) => ({ runId, fileName: `switchboard-drill-${runId}.html`, html: await drills.getReportHtml(runId) }),
    onDidProgress(listener): Unsubscribe {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return {
    services,
    close() {
      subscription.dispose();
      listeners.clear();
    },
  };
}
