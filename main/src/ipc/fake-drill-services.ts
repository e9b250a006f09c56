import { drillScenarioSchema, SwitchboardError, type DrillReport, type DrillScenario } from '@switchboard/shared';
import type { DrillServices, Unsubscribe } from './services.js';

/**
 * In-memory `drills.*` services with fixed, contract-valid answers, for the router and transport
 * unit tests (fake-services.ts adds them to the other fakes).
 */

const NOW = 1_700_000_000_000;

/** The run id the fakes know. */
export const FAKE_RUN_ID = '20231114t221320-abc123';

/** The scenario the fakes list. */
export const FAKE_SCENARIO: DrillScenario = drillScenarioSchema.parse({ name: 'kill-leader', steps: [{ action: 'kill-leader' }, { action: 'start-stopped' }] });

/** A passing report of {@link FAKE_SCENARIO} on one node. */
export function fakeReport(runId = FAKE_RUN_ID): DrillReport {
  const latency = { count: 10, p50: 3, p90: 5, p99: 8, max: 9 };
  return {
    version: 1, runId, verdict: 'Pass', lost: 0, unexpected: 0, recovered: 0, reordered: 0, probeSuccessPercent: 100, reason: 'every threshold held',
    scenario: FAKE_SCENARIO, profile: 'local', cluster: 'demo', startedAt: NOW, endedAt: NOW + 20_000, nodes: ['n1'],
    thresholds: [{ name: 'lost', kind: 'max', limit: 0, actual: 0, pass: true, failedAtStep: null, detail: '0 lost' }],
    hypothesis: [],
    steps: [{ index: 0, action: 'kill-leader', description: 'kill the leader', startedAt: NOW + 3_000, endedAt: NOW + 3_100, ok: true, targets: ['n1'], error: null }],
    timeline: [{ at: NOW + 3_000, kind: 'step-sent', step: 0, node: 'n1', detail: 'kill n1' }],
    series: [],
    figures: {
      attempted: 10, acknowledged: 10, postErrors: 0, deliveredInTime: 10, duplicated: 0, neverSent: 0, missingDeliveries: 0, longestGapMs: 500,
      timeWithoutLeaderMs: 0, leaderChanges: 0, longestResumeMs: 0, baseline: latency, drill: latency, clients: [],
    },
    restore: { ok: true, actions: [], errors: [] },
  };
}

/** What {@link createFakeDrillServices} needs from the fakes around it. */
export interface FakeDrillDeps {
  record<T>(name: string, args: unknown, value: T): T;
  on(listener: (payload: never) => void): Unsubscribe;
}

/**
 * Fake drills: one built-in scenario, one finished run. An unknown run id is `drill.not_found`.
 * @example createFakeDrillServices({ record, on: on('drills.onDidProgress') })
 */
export function createFakeDrillServices({ record, on }: FakeDrillDeps): DrillServices {
  const entry = { name: FAKE_SCENARIO.name, source: 'builtin' as const, scenario: FAKE_SCENARIO, text: 'name: kill-leader\n' };
  const known = (runId: string) => {
    if (runId !== FAKE_RUN_ID) throw new SwitchboardError('drill.not_found', { detail: `no run ${runId}` });
  };
  const summary = { runId: FAKE_RUN_ID, scenario: 'kill-leader', profile: 'local', verdict: 'Pass' as const, state: 'finished' as const, startedAt: NOW, endedAt: NOW + 20_000, lost: 0, reason: 'every threshold held' };
  return {
    listScenarios: () => record('drills.listScenarios', undefined, { scenarios: [entry] }),
    validateScenario: (text) => record('drills.validateScenario', { text }, { ok: true as const, scenario: FAKE_SCENARIO }),
    saveScenario: (text) => record('drills.saveScenario', { text }, { ...entry, source: 'saved' as const, text }),
    start: (input) => record('drills.start', input, { runId: FAKE_RUN_ID }),
    halt: (runId) => record('drills.halt', { runId }, { runId, halted: runId === FAKE_RUN_ID }),
    current: () => record('drills.current', undefined, { run: null }),
    listRuns: () => record('drills.listRuns', undefined, { runs: [summary] }),
    getReport: (runId) => {
      record('drills.getReport', { runId }, null);
      known(runId);
      return fakeReport(runId);
    },
    getReportHtml: (runId) => {
      record('drills.getReportHtml', { runId }, null);
      known(runId);
      return { runId, fileName: `drill-${runId}.html`, html: '<!doctype html><title>report</title>' };
    },
    onDidProgress: on,
  };
}
