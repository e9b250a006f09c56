import { z } from 'zod';
import { drillScenarioSchema } from './scenario.js';

/**
 * What a drill run reports: a verdict, each threshold with the step where it failed, the
 * Jepsen-style loss figures at the top level (`lost`, `unexpected`, `recovered`, `reordered`),
 * the timeline, one sample per second and the raw figures. Plain JSON, times in epoch ms.
 */

/** Pass: every threshold and hypothesis check held; Fail: one did not; Stopped: aborted and restored. */
export const drillVerdictSchema = z.enum(['Pass', 'Fail', 'Stopped']);

/** What a timeline mark records. */
export const timelineKindSchema = z.enum([
  'run-started',
  'baseline-done',
  'step-sent',
  'step-done',
  'step-failed',
  'node-gone',
  'node-back',
  'leader-lost',
  'new-leader',
  'client-disconnected',
  'client-resumed',
  'client-new-connection',
  'client-backfilled',
  'probe-gap',
  'check-failed',
  'check-recovered',
  'abort',
  'restored',
  'run-finished',
]);

/** One mark on the timeline. */
export const timelineEntrySchema = z.object({
  at: z.number(),
  kind: timelineKindSchema,
  /** The step running when it happened (index into `steps`), or null before the first. */
  step: z.number().int().min(0).nullable(),
  node: z.string().optional(),
  client: z.string().optional(),
  /** Milliseconds the mark stands for (a gap's length, a reconnect's duration). */
  durationMs: z.number().min(0).optional(),
  detail: z.string(),
});

/** One sample of the live series (one a second). */
export const drillSampleSchema = z.object({
  at: z.number(),
  /** Delivery latency of the posts received in this second, ms (null: none received). */
  latencyP50Ms: z.number().min(0).nullable(),
  latencyP99Ms: z.number().min(0).nullable(),
  latencyMaxMs: z.number().min(0).nullable(),
  /** Posts acknowledged in this second. */
  postsPerSecond: z.number().min(0),
  /** Deliveries (posts seen by a probe client) in this second. */
  deliveriesPerSecond: z.number().min(0),
  /** Post attempts that failed in this second. */
  errorsPerSecond: z.number().min(0),
  nodesActive: z.number().int().min(0),
  nodesDraining: z.number().int().min(0),
  /** Nodes of the drill's cluster not in the registry. */
  nodesDown: z.number().int().min(0),
  leader: z.string().nullable(),
  /** Probe clients connected (authenticated) now. */
  clientsConnected: z.number().int().min(0),
  /** Per node: active, draining, starting or down. */
  nodes: z.record(z.string(), z.enum(['active', 'draining', 'starting', 'down'])),
});

/** One threshold's outcome. */
export const thresholdResultSchema = z.object({
  name: z.string(),
  /** `max` limits must not be exceeded; `min` limits must be reached. */
  kind: z.enum(['max', 'min']),
  limit: z.number(),
  actual: z.number().nullable(),
  pass: z.boolean(),
  /** The step during which it first went past its limit (index), or null. */
  failedAtStep: z.number().int().min(0).nullable(),
  detail: z.string(),
});

/** One hypothesis check's outcome before, during and after the fault. */
export const hypothesisResultSchema = z.object({
  check: z.string(),
  before: z.boolean(),
  /** Longest time it failed without interruption during the drill, ms. */
  longestFailingMs: z.number().min(0),
  toleranceMs: z.number().min(0),
  during: z.boolean(),
  after: z.boolean(),
  pass: z.boolean(),
  failedAtStep: z.number().int().min(0).nullable(),
  detail: z.string(),
});

/** One step as it ran. */
export const stepResultSchema = z.object({
  index: z.number().int().min(0),
  action: z.string(),
  description: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  ok: z.boolean(),
  targets: z.array(z.string()),
  error: z.string().nullable(),
});

/** One probe client's figures. */
export const probeClientFiguresSchema = z.object({
  client: z.string(),
  /** The node it first connected to. */
  node: z.string(),
  attempted: z.number().int().min(0),
  acknowledged: z.number().int().min(0),
  postErrors: z.number().int().min(0),
  /** Up to five distinct reasons posts failed (HTTP status and error id, or the network error). */
  postErrorSamples: z.array(z.string()).max(5),
  received: z.number().int().min(0),
  lost: z.number().int().min(0),
  duplicated: z.number().int().min(0),
  recovered: z.number().int().min(0),
  reordered: z.number().int().min(0),
  longestGapMs: z.number().min(0),
  disconnects: z.number().int().min(0),
  resumed: z.number().int().min(0),
  newConnections: z.number().int().min(0),
  /** Each reconnection: socket gone to authenticated again, ms. */
  reconnectMs: z.array(z.number().min(0)),
  /** Each reconnection: socket gone to resumed, or backfilled when not, ms. */
  resumeMs: z.array(z.number().min(0)),
  /** Sequence numbers that skipped ahead on one connection. */
  sequenceGaps: z.number().int().min(0),
  socketErrors: z.number().int().min(0),
});

/** Latency percentiles, ms (null when nothing was measured). */
export const latencyFiguresSchema = z.object({
  count: z.number().int().min(0),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});

/** The raw figures behind the verdict. */
export const drillFiguresSchema = z.object({
  attempted: z.number().int().min(0),
  acknowledged: z.number().int().min(0),
  postErrors: z.number().int().min(0),
  /** Acknowledged posts delivered to every other probe within the delivery timeout. */
  deliveredInTime: z.number().int().min(0),
  duplicated: z.number().int().min(0),
  /** Posts received that no probe ever sent. */
  neverSent: z.number().int().min(0),
  /** (post, receiver) pairs missing at the end. */
  missingDeliveries: z.number().int().min(0),
  longestGapMs: z.number().min(0),
  timeWithoutLeaderMs: z.number().min(0),
  leaderChanges: z.number().int().min(0),
  longestResumeMs: z.number().min(0),
  baseline: latencyFiguresSchema,
  drill: latencyFiguresSchema,
  clients: z.array(probeClientFiguresSchema),
});

/** A finished run's report. */
export const drillReportSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  verdict: drillVerdictSchema,
  /** Acknowledged posts at least one other probe never received. */
  lost: z.number().int().min(0),
  /** Deliveries that should not have happened: duplicates and posts never sent. */
  unexpected: z.number().int().min(0),
  /** Posts some client got only by backfill (`since`). */
  recovered: z.number().int().min(0),
  /** Deliveries out of their sender's order. */
  reordered: z.number().int().min(0),
  /** Acknowledged posts delivered everywhere in time, out of those attempted, percent. */
  probeSuccessPercent: z.number().min(0).max(100),
  /** Why the verdict is what it is, one line. */
  reason: z.string(),
  scenario: drillScenarioSchema,
  profile: z.string(),
  cluster: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  nodes: z.array(z.string()),
  thresholds: z.array(thresholdResultSchema),
  hypothesis: z.array(hypothesisResultSchema),
  steps: z.array(stepResultSchema),
  timeline: z.array(timelineEntrySchema),
  series: z.array(drillSampleSchema),
  figures: drillFiguresSchema,
  /** Whether restoring the cluster after the run succeeded, and what it did. */
  restore: z.object({ ok: z.boolean(), actions: z.array(z.string()), errors: z.array(z.string()) }),
});

/** A past run as the history lists it. */
export const drillRunSummarySchema = z.object({
  runId: z.string(),
  scenario: z.string(),
  profile: z.string(),
  verdict: drillVerdictSchema.nullable(),
  /** Running, or finished. */
  state: z.enum(['running', 'finished']),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  lost: z.number().int().min(0).nullable(),
  reason: z.string().nullable(),
});

/** A verdict. */
export type DrillVerdict = z.infer<typeof drillVerdictSchema>;
/** A timeline mark's kind. */
export type TimelineKind = z.infer<typeof timelineKindSchema>;
/** One timeline mark. */
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
/** One per-second sample. */
export type DrillSample = z.infer<typeof drillSampleSchema>;
/** One threshold's outcome. */
export type ThresholdResult = z.infer<typeof thresholdResultSchema>;
/** One hypothesis check's outcome. */
export type HypothesisResult = z.infer<typeof hypothesisResultSchema>;
/** One step as it ran. */
export type StepResult = z.infer<typeof stepResultSchema>;
/** One probe client's figures. */
export type ProbeClientFigures = z.infer<typeof probeClientFiguresSchema>;
/** Latency percentiles. */
export type LatencyFigures = z.infer<typeof latencyFiguresSchema>;
/** The raw figures. */
export type DrillFigures = z.infer<typeof drillFiguresSchema>;
/** A run's report. */
export type DrillReport = z.infer<typeof drillReportSchema>;
/** A history entry. */
export type DrillRunSummary = z.infer<typeof drillRunSummarySchema>;
