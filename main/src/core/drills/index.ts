/** Failover drills: scenarios, the engine (steps, probes, checker), reports and their history. */
export * from './drill-service.js';
export * from './builtin-scenarios.js';
export * from './scenario-text.js';
export * from './checker.js';
export * from './targets.js';
export * from './preflight.js';
export * from './report-html.js';
export * from './run-store.js';
export { DrillRun, DRILL_TICK_MS, type DrillRunDeps } from './drill-run.js';
export { describeStep } from './steps.js';
export { startHaproxy, type HaproxyProcess } from './haproxy-process.js';
