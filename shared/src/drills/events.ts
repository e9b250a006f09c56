import { z } from 'zod';
import { drillSampleSchema, drillVerdictSchema, stepResultSchema, thresholdResultSchema, timelineEntrySchema } from './report.js';

/**
 * The live events of a running drill (DrillService.onEvent, the console's `drills.onDidEvent`):
 * run started, step started and finished, timeline marks, one sample a second, the verdict.
 * A union on `type`; plain JSON, epoch ms.
 */
export const drillEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    runId: z.string(),
    scenario: z.string(),
    profile: z.string(),
    at: z.number(),
    nodes: z.array(z.string()),
    steps: z.array(z.object({ index: z.number().int().min(0), action: z.string(), description: z.string() })),
  }),
  /** The run moved on: checking the hypothesis, measuring the baseline, faults, final checks, restoring. */
  z.object({ type: z.literal('phase'), runId: z.string(), at: z.number(), phase: z.enum(['preflight', 'baseline', 'steps', 'settle', 'restore', 'done']) }),
  z.object({ type: z.literal('step-started'), runId: z.string(), at: z.number(), index: z.number().int().min(0), action: z.string(), description: z.string() }),
  z.object({ type: z.literal('step-finished'), runId: z.string(), at: z.number(), step: stepResultSchema }),
  z.object({ type: z.literal('mark'), runId: z.string(), mark: timelineEntrySchema }),
  z.object({ type: z.literal('sample'), runId: z.string(), sample: drillSampleSchema }),
  z.object({
    type: z.literal('verdict'),
    runId: z.string(),
    at: z.number(),
    verdict: drillVerdictSchema,
    reason: z.string(),
    lost: z.number().int().min(0),
    unexpected: z.number().int().min(0),
    recovered: z.number().int().min(0),
    reordered: z.number().int().min(0),
    thresholds: z.array(thresholdResultSchema),
  }),
]);

/** One live event of a drill run. */
export type DrillEvent = z.infer<typeof drillEventSchema>;
/** The type names of {@link DrillEvent}. */
export type DrillEventType = DrillEvent['type'];
