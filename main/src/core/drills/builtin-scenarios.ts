import { drillScenarioSchema, type DrillScenario, type DrillScenarioInput } from '@switchboard/shared';

/**
 * The built-in drills. Short by design (a CI pipeline runs them all): a few seconds of baseline,
 * the fault, a settle until the steady-state hypothesis holds again, the restoration, and a final
 * settle. Each is an ordinary scenario: `switchboard drill run kill-leader` runs the first, and an
 * operator can start their own from any of them (docs/DRILLS.md).
 */
const BUILT_INS: DrillScenarioInput[] = [
  {
    name: 'kill-leader',
    description: 'SIGKILL the leader; a survivor takes the lease after its TTL, clients of the dead node resume elsewhere; then start it again.',
    steps: [{ action: 'kill-leader' }, { action: 'settle', timeoutMs: 30_000 }, { action: 'start-stopped' }, { action: 'settle', timeoutMs: 30_000 }],
    thresholds: { lost: 0, unexpected: 0, reordered: 0, timeWithoutLeaderMs: 10_000, resumeMs: 10_000 },
    abort: { maxNodesDown: 1, timeLimitMs: 120_000 },
  },
  {
    name: 'kill-random-node',
    description: 'SIGKILL one node picked at random; its clients resume elsewhere; then start it again.',
    steps: [{ action: 'kill-nodes', target: { among: 'any', radius: 'one' } }, { action: 'settle', timeoutMs: 30_000 }, { action: 'start-stopped' }, { action: 'settle', timeoutMs: 30_000 }],
    thresholds: { lost: 0, unexpected: 0, reordered: 0, resumeMs: 10_000 },
    abort: { maxNodesDown: 1, timeLimitMs: 120_000 },
  },
  {
    name: 'drain-node',
    description: 'Drain one follower: it leaves the balancer, closes its sockets in batches and exits; its clients move; then start it again.',
    steps: [{ action: 'drain-nodes', target: { among: 'followers', radius: 'one' } }, { action: 'settle', timeoutMs: 30_000 }, { action: 'start-stopped' }, { action: 'settle', timeoutMs: 30_000 }],
    thresholds: { lost: 0, unexpected: 0, reordered: 0, resumeMs: 10_000 },
    abort: { maxNodesDown: 1, timeLimitMs: 120_000 },
  },
  {
    name: 'rolling-restart',
    description: 'For each node in turn: drain, start, wait until active, settle.',
    hypothesis: [{ check: 'one-leader', toleranceMs: 10_000 }, { check: 'no-loss' }],
    steps: [{ action: 'rolling-restart', target: { among: 'any', radius: 'all', pick: 'first' }, settleMs: 1_000 }, { action: 'settle', timeoutMs: 30_000 }],
    thresholds: { lost: 0, unexpected: 0, reordered: 0, resumeMs: 10_000 },
    abort: { maxNodesDown: 1, timeLimitMs: 300_000 },
  },
  {
    name: 'restart-redis',
    description: "Restart Redis with the profile's services.redis commands; nodes reconnect and repair from the stream, clients lose nothing.",
    hypothesis: [{ check: 'one-leader', toleranceMs: 30_000 }, { check: 'no-loss' }],
    steps: [{ action: 'restart-redis' }, { action: 'settle', timeoutMs: 60_000 }],
    thresholds: { lost: 0, unexpected: 0 },
    abort: { timeLimitMs: 180_000 },
  },
  {
    name: 'redis-sentinel-failover',
    description: "SENTINEL FAILOVER on the profile's Sentinels; nodes follow the new primary and repair what pub/sub dropped.",
    hypothesis: [{ check: 'one-leader', toleranceMs: 30_000 }, { check: 'no-loss' }],
    steps: [{ action: 'redis-failover', timeoutMs: 30_000 }, { action: 'settle', timeoutMs: 60_000 }],
    thresholds: { lost: 0, unexpected: 0 },
    abort: { timeLimitMs: 180_000 },
  },
  {
    name: 'restart-postgres',
    description: "Restart Postgres with the profile's services.postgres commands; posts refused meanwhile are not acknowledged, none acknowledged is lost.",
    hypothesis: [{ check: 'one-leader', toleranceMs: 30_000 }, { check: 'no-loss' }],
    steps: [{ action: 'restart-postgres' }, { action: 'settle', timeoutMs: 60_000 }],
    thresholds: { lost: 0, unexpected: 0 },
    abort: { timeLimitMs: 180_000 },
  },
];

/** The built-in scenarios, validated (defaults applied). */
export const BUILTIN_SCENARIOS: readonly DrillScenario[] = Object.freeze(BUILT_INS.map((input) => drillScenarioSchema.parse(input)));

/** A built-in scenario by name. */
export function builtinScenario(name: string): DrillScenario | undefined {
  return BUILTIN_SCENARIOS.find((scenario) => scenario.name === name);
}
