// The two sizes of a run. `smoke` keeps every scenario working in CI within seconds; `full` is
// what docs/BENCHMARKS.md reports. Every loop of the bench is bounded by these counts and times.

/** p99 a load must stay under to count as "held" (capacity and connections searches), ms. */
export const P99_LIMIT_MS = 50;

const SMOKE = {
  name: 'smoke',
  users: 300,
  bigMembers: 60,
  mixUsers: 150,
  mixChannels: 15,
  quietMembers: 10,
  floor: { rate: 200, durationMs: 1_000, payloadBytes: 900 },
  nodeToNode: { rate: 50, durationMs: 1_500 },
  loadA: { rates: [10, 50], durationMs: 1_000 },
  loadB: { rate: 100, durationMs: 1_000 },
  capacity: { rates: [20, 40], durationMs: 1_000 },
  connections: { idle: 150, steps: [150], rate: 100, durationMs: 1_000, connectBudgetMs: 60_000 },
  failover: { clients: 30, rate: 20, trials: 1, leaderTtlMs: 1_000, observeMs: 2_500 },
  drainMs: 3_000,
  settleMs: 300,
};

const FULL = {
  name: 'full',
  users: 8_000,
  bigMembers: 1_000,
  mixUsers: 2_000,
  mixChannels: 200,
  quietMembers: 10,
  floor: { rate: 200, durationMs: 10_000, payloadBytes: 900 },
  nodeToNode: { rate: 50, durationMs: 10_000 },
  loadA: { rates: [10, 50], durationMs: 10_000 },
  loadB: { rate: 100, durationMs: 15_000 },
  capacity: { rates: [5, 10, 20, 40, 60, 80, 100, 130, 160, 200, 250, 300], durationMs: 5_000 },
  connections: { idle: 2_000, steps: [2_000, 4_000, 6_000, 8_000], rate: 100, durationMs: 5_000, connectBudgetMs: 120_000 },
  failover: { clients: 300, rate: 20, trials: 3, leaderTtlMs: 3_000, observeMs: 8_000 },
  drainMs: 5_000,
  settleMs: 2_000,
};

/** The size profile named by `--size`. */
export function sizeProfile(name) {
  return name === 'smoke' ? SMOKE : FULL;
}
