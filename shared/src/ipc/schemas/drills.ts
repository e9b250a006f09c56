import { z } from 'zod';
import { drillEventSchema } from '../../drills/events.js';
import { drillReportSchema, drillRunSummarySchema } from '../../drills/report.js';
import { drillScenarioSchema } from '../../drills/scenario.js';

/**
 * The `drills.*` methods and the `drills.onDidProgress` event: the console's side of the drill
 * engine (main/src/core/drills). Scenarios, reports and live events keep the engine's own schemas
 * (shared/src/drills/); this file adds what crosses the IPC boundary around them. Nothing here
 * names a file path the renderer chose: scenarios and runs are named by slug and run id only.
 */

/** The largest scenario text the console accepts, characters. @default 200000 */
export const MAX_SCENARIO_TEXT = 200_000;

/** A scenario's name (as scenarios spell it: lowercase letters, digits, dashes). */
export const drillScenarioNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a scenario name');

/** A run id: letters, digits, dashes and underscores only (it names a folder in the data dir). */
export const drillRunIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be a run id');

/** Scenario text, YAML or JSON, as the operator wrote it. */
export const drillScenarioTextSchema = z.string().min(1, 'the scenario is empty').max(MAX_SCENARIO_TEXT, `must be at most ${MAX_SCENARIO_TEXT} characters`);

/** Where a scenario comes from: built into the console, or saved by an operator into its data dir. */
export const drillScenarioSourceSchema = z.enum(['builtin', 'saved']);

/** One scenario the console can run. */
export const drillScenarioEntrySchema = z.object({
  name: drillScenarioNameSchema,
  source: drillScenarioSourceSchema,
  /** The scenario, validated, defaults applied. */
  scenario: drillScenarioSchema,
  /** The scenario as YAML, for the editor. */
  text: z.string(),
});

/** `drills.listScenarios` output: built-in scenarios first, then saved ones, each by name. */
export const drillsListScenariosOutputSchema = z.object({ scenarios: z.array(drillScenarioEntrySchema) });

/** Input of `drills.validateScenario` and `drills.saveScenario`. */
export const drillScenarioTextInputSchema = z.object({ text: drillScenarioTextSchema }).strict();

/** A scenario field that failed validation: its dotted path (`steps.2.target.radius`) and why. */
export const drillScenarioIssueSchema = z.object({ path: z.string(), message: z.string() });

/** `drills.validateScenario` output: the scenario, or every issue by field path. */
export const drillsValidateOutputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), scenario: drillScenarioSchema }),
  z.object({ ok: z.literal(false), issues: z.array(drillScenarioIssueSchema).min(1) }),
]);

/** `drills.saveScenario` output: the scenario as saved. */
export const drillsSaveOutputSchema = drillScenarioEntrySchema;

/**
 * `drills.start` input: a known scenario by name, or scenario text (validated like
 * `drills.validateScenario`). The run targets the profile the console is watching.
 */
export const drillsStartInputSchema = z.union([z.object({ scenario: drillScenarioNameSchema }).strict(), z.object({ text: drillScenarioTextSchema }).strict()]);

/** `drills.start` output. */
export const drillsStartOutputSchema = z.object({ runId: drillRunIdSchema });

/** Input of `drills.halt`, `drills.getReport` and `drills.getReportHtml`. */
export const drillRunRefInputSchema = z.object({ runId: drillRunIdSchema }).strict();

/** `drills.halt` output: whether that run was running and is now being stopped and restored. */
export const drillsHaltOutputSchema = z.object({ runId: drillRunIdSchema, halted: z.boolean() });

/** The most live events `drills.current` replays. @default 5000 */
export const MAX_REPLAYED_DRILL_EVENTS = 5_000;

/**
 * `drills.onDidProgress`: one live event of a drill run, numbered from 0 within its run so a
 * caller that joins mid-run (with `drills.current`) drops what it already has.
 */
export const drillProgressEventSchema = z.object({
  runId: drillRunIdSchema,
  /** The event's position in its run, from 0. */
  seq: z.number().int().nonnegative(),
  event: drillEventSchema,
});

/**
 * `drills.current` output: the run in progress (or the last one this console ran, once done)
 * with its live events so far, oldest first (the newest {@link MAX_REPLAYED_DRILL_EVENTS} of
 * them, samples thinned first), so a view opened mid-run draws it whole.
 */
export const drillsCurrentOutputSchema = z.object({
  run: z
    .object({
      runId: drillRunIdSchema,
      running: z.boolean(),
      events: z.array(drillProgressEventSchema).max(MAX_REPLAYED_DRILL_EVENTS),
    })
    .nullable(),
});

/** `drills.listRuns` output: past and current runs, newest first. */
export const drillsListRunsOutputSchema = z.object({ runs: z.array(drillRunSummarySchema) });

/** `drills.getReport` output. */
export const drillsGetReportOutputSchema = drillReportSchema;

/**
 * `drills.getReportHtml` output: the self-contained HTML report and a file name to offer; the
 * operator chooses where it goes (the browser's or Electron's save dialog).
 */
export const drillsGetReportHtmlOutputSchema = z.object({
  runId: drillRunIdSchema,
  fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.html$/),
  html: z.string(),
});

/** One scenario the console can run. */
export type DrillScenarioEntry = z.infer<typeof drillScenarioEntrySchema>;
/** A `drills.validateScenario` answer. */
export type DrillValidation = z.infer<typeof drillsValidateOutputSchema>;
/** A `drills.onDidProgress` payload. */
export type DrillProgress = z.infer<typeof drillProgressEventSchema>;
/** A `drills.current` answer. */
export type DrillCurrent = z.infer<typeof drillsCurrentOutputSchema>;
