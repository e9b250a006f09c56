import { z } from 'zod';

/**
 * A failover drill as data (YAML or JSON): which cluster it targets, the steady-state hypothesis
 * checked before, during and after the fault, the steps (each with a blast radius where it picks
 * nodes), the thresholds that decide the verdict, and the abort conditions. docs/DRILLS.md
 * describes the format with an example.
 */

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes');
const nodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a node id');
const ms = (max: number) => z.number().int().min(0).max(max);

/** How many of the candidate nodes a step acts on: one, N, a percentage (rounded up), or all. */
export const blastRadiusSchema = z.union([
  z.literal('one'),
  z.literal('all'),
  z.object({ count: z.number().int().min(1).max(1000) }).strict(),
  z.object({ percent: z.number().min(1).max(100) }).strict(),
]);

/** Which nodes a step acts on: candidates (by role and optional ids), then the blast radius. */
export const stepTargetSchema = z
  .object({
    /** `leader`: the lease holder; `followers`: every other active node; `any`: every active node. @default 'any' */
    among: z.enum(['any', 'leader', 'followers']).default('any'),
    /** Only these node ids (when given). */
    nodes: z.array(nodeId).min(1).optional(),
    /** @default 'one' */
    radius: blastRadiusSchema.default('one'),
    /** Which candidates a radius below all picks: random ones, or the first by id. @default 'random' */
    pick: z.enum(['random', 'first']).default('random'),
  })
  .strict();

const target = stepTargetSchema.default({ among: 'any', radius: 'one', pick: 'random' });

/** One step of a drill: a fault, a restoration or a wait. */
export const drillStepSchema = z.discriminatedUnion('action', [
  /** SIGKILL the leader (the lease holder). */
  z.object({ action: z.literal('kill-leader'), label: z.string().max(120).optional() }).strict(),
  /** SIGKILL the target nodes. */
  z.object({ action: z.literal('kill-nodes'), target, label: z.string().max(120).optional() }).strict(),
  /** Drain the target nodes (SIGTERM: they leave the balancer, close sockets in batches, exit). */
  z.object({ action: z.literal('drain-nodes'), target, label: z.string().max(120).optional() }).strict(),
  /** Restart the target nodes (drain, then start), all at once. */
  z.object({ action: z.literal('restart-nodes'), target, label: z.string().max(120).optional() }).strict(),
  /** Start again every node this drill killed or drained (and waits until they are active). */
  z.object({ action: z.literal('start-stopped'), label: z.string().max(120).optional() }).strict(),
  /** For each target node in turn: drain, start, wait until active, settle. */
  z
    .object({
      action: z.literal('rolling-restart'),
      target: stepTargetSchema.default({ among: 'any', radius: 'all', pick: 'first' }),
      /** Pause after each node is active again, ms. @default 1000 */
      settleMs: ms(600_000).default(1_000),
      label: z.string().max(120).optional(),
    })
    .strict(),
  /** Do nothing for `ms`. */
  z.object({ action: z.literal('wait'), ms: ms(3_600_000), label: z.string().max(120).optional() }).strict(),
  /**
   * Wait until the steady-state hypothesis holds again, with every probe client connected, for
   * `holdMs` without interruption (at most `timeoutMs`; the step fails past it).
   */
  z
    .object({ action: z.literal('settle'), timeoutMs: ms(3_600_000).default(30_000), holdMs: ms(600_000).default(2_000), label: z.string().max(120).optional() })
    .strict(),
  /** Restart Redis with the profile's `services.redis` commands. */
  z.object({ action: z.literal('restart-redis'), label: z.string().max(120).optional() }).strict(),
  /** `SENTINEL FAILOVER <master>` on the profile's Sentinels, then wait for the new primary. */
  z.object({ action: z.literal('redis-failover'), timeoutMs: ms(600_000).default(30_000), label: z.string().max(120).optional() }).strict(),
  /** Restart Postgres with the profile's `services.postgres` commands. */
  z.object({ action: z.literal('restart-postgres'), label: z.string().max(120).optional() }).strict(),
]);

/** One check of the steady-state hypothesis. */
export const hypothesisCheckSchema = z.discriminatedUnion('check', [
  /** Exactly one leader, and it is a live node. */
  z.object({ check: z.literal('one-leader'), toleranceMs: ms(3_600_000).default(10_000) }).strict(),
  /** At least `min` nodes active (default: every node there was at the start). */
  z.object({ check: z.literal('nodes-active'), min: z.number().int().min(1).optional(), toleranceMs: ms(3_600_000).default(60_000) }).strict(),
  /** Probe delivery p99 over the last `windowMs` at most `maxMs`. */
  z.object({ check: z.literal('delivery-p99'), maxMs: z.number().positive(), windowMs: ms(600_000).default(5_000), toleranceMs: ms(3_600_000).default(10_000) }).strict(),
  /** Every acknowledged post older than the delivery timeout has reached every other probe. */
  z.object({ check: z.literal('no-loss'), toleranceMs: ms(3_600_000).default(0) }).strict(),
]);

/** The probe clients: one per node, posting numbered messages into a channel of the drill's own. */
export const drillProbesSchema = z
  .object({
    /** Posts per second each probe client makes. @default 2 */
    ratePerSecond: z.number().min(0.2).max(50).default(2),
    /** Probe clients: one per node at the start (`per-node`), or this many spread over the nodes. @default 'per-node' */
    clients: z.union([z.literal('per-node'), z.number().int().min(2).max(50)]).default('per-node'),
    /** How long a post may take to reach every other probe before it counts as lost, ms. @default 10000 */
    deliveryTimeoutMs: ms(600_000).default(10_000),
    /** Reconnect with connection_id and sequence_number (Mattermost resume). @default true */
    resume: z.boolean().default(true),
    /** Backfill with `since` after a new connection (not resumed). @default true */
    backfill: z.boolean().default(true),
    /** Steady state measured before the first step (the latency baseline), ms. @default 3000 */
    baselineMs: ms(600_000).default(3_000),
  })
  .strict();

/** The figures that decide the verdict; each is a limit a run must stay within. */
export const drillThresholdsSchema = z
  .object({
    /** Acknowledged posts some other probe never received. @default 0 */
    lost: z.number().int().min(0).default(0),
    /** Posts received twice by one client, or received without ever being sent. @default 0 */
    unexpected: z.number().int().min(0).default(0),
    /** Posts received out of their sender's order. @default 0 */
    reordered: z.number().int().min(0).optional(),
    /** Posts that arrived only by backfill (no limit unless set). */
    recovered: z.number().int().min(0).optional(),
    /** Longest time without a leader, ms. */
    timeWithoutLeaderMs: z.number().int().min(0).optional(),
    /** Longest gap any probe client saw between two deliveries, ms. */
    longestGapMs: z.number().int().min(0).optional(),
    /** Longest reconnect-and-resume time of any client, ms. */
    resumeMs: z.number().int().min(0).optional(),
    /** Delivery p99 during the drill, ms. */
    latencyP99Ms: z.number().positive().optional(),
    /** Delivery p99 during the drill divided by the baseline's p99. */
    latencyP99VsBaseline: z.number().positive().optional(),
    /** Least share of posts acknowledged and delivered everywhere in time, percent. */
    probeSuccessPercent: z.number().min(0).max(100).optional(),
  })
  .strict();

/** When a drill stops early (verdict Stopped) and restores the cluster. */
export const drillAbortSchema = z
  .object({
    /** Abort when more nodes than this are down at once. */
    maxNodesDown: z.number().int().min(0).optional(),
    /** Abort when one hypothesis check fails this many times running (checked every second). */
    checkFailuresInARow: z.number().int().min(1).optional(),
    /** Abort when the drill runs longer than this, ms. @default 600000 */
    timeLimitMs: ms(86_400_000).default(600_000),
  })
  .strict();

/** A drill scenario. */
export const drillScenarioSchema = z
  .object({
    name: slug,
    description: z.string().max(2000).optional(),
    /** The profile it targets (a file or `local`); the CLI's --profile and the console's selection win. */
    profile: z.string().min(1).optional(),
    probes: drillProbesSchema.default(drillProbesSchema.parse({})),
    hypothesis: z.array(hypothesisCheckSchema).default([{ check: 'one-leader', toleranceMs: 10_000 }, { check: 'no-loss', toleranceMs: 0 }]),
    steps: z.array(drillStepSchema).min(1).max(200),
    thresholds: drillThresholdsSchema.default(drillThresholdsSchema.parse({})),
    abort: drillAbortSchema.default(drillAbortSchema.parse({})),
    /** Quiet time after the last step, before the final checks, ms. @default 3000 */
    settleMs: ms(600_000).default(3_000),
  })
  .strict();

/** A validated drill scenario (defaults applied). */
export type DrillScenario = z.infer<typeof drillScenarioSchema>;
/** A scenario as written (defaults not yet applied). */
export type DrillScenarioInput = z.input<typeof drillScenarioSchema>;
/** One step. */
export type DrillStep = z.infer<typeof drillStepSchema>;
/** A step's target. */
export type StepTarget = z.infer<typeof stepTargetSchema>;
/** A blast radius. */
export type BlastRadius = z.infer<typeof blastRadiusSchema>;
/** One hypothesis check. */
export type HypothesisCheck = z.infer<typeof hypothesisCheckSchema>;
/** The verdict thresholds. */
export type DrillThresholds = z.infer<typeof drillThresholdsSchema>;
/** The abort conditions. */
export type DrillAbort = z.infer<typeof drillAbortSchema>;
/** The probe settings. */
export type DrillProbes = z.infer<typeof drillProbesSchema>;

/** The step actions, in the order docs/DRILLS.md lists them. */
export const DRILL_ACTIONS = drillStepSchema.options.map((option) => option.shape.action.value);

/** A step's action. */
export type DrillAction = DrillStep['action'];

/** A scenario field that failed validation: a dotted path (`steps.2.target.radius`) and why. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/** What scenario validation answers: the scenario, or every issue with its field path. */
export type ScenarioValidation = { ok: true; scenario: DrillScenario } | { ok: false; issues: ScenarioIssue[] };

/**
 * Validates a parsed scenario (a plain value from YAML or JSON), naming every wrong field.
 * @example validateScenarioValue({ name: 'x', steps: [{ action: 'kill-leader' }] }) // { ok: true, scenario }
 */
export function validateScenarioValue(value: unknown): ScenarioValidation {
  const result = drillScenarioSchema.safeParse(value);
  if (result.success) return { ok: true, scenario: result.data };
  return { ok: false, issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(scenario)', message: issue.message })) };
}

/** How many of `candidates` a radius picks (a percentage is rounded up, at least one). */
export function radiusCount(radius: BlastRadius, candidates: number): number {
  if (candidates === 0) return 0;
  if (radius === 'one') return 1;
  if (radius === 'all') return candidates;
  if ('count' in radius) return Math.min(radius.count, candidates);
  return Math.min(candidates, Math.max(1, Math.ceil((radius.percent / 100) * candidates)));
}
