import type { z } from 'zod';
import { consistencyReportSchema, postgresHealthSchema } from '../cluster/inspection.js';
import {
  clusterSnapshotSchema,
  observerUpdateSchema,
  presenceUserPageSchema,
  presenceUsersQuerySchema,
  recentEventsQuerySchema,
  recentEventsSchema,
} from '../cluster/observation.js';
import { probeResultSchema } from '../cluster/probe.js';
import { leaderChangeSchema, probeInputSchema } from './schemas/cluster.js';
import { noInputSchema } from './schemas/common.js';
import {
  drillProgressEventSchema,
  drillRunRefInputSchema,
  drillScenarioTextInputSchema,
  drillsCurrentOutputSchema,
  drillsGetReportHtmlOutputSchema,
  drillsGetReportOutputSchema,
  drillsHaltOutputSchema,
  drillsListRunsOutputSchema,
  drillsListScenariosOutputSchema,
  drillsSaveOutputSchema,
  drillsStartInputSchema,
  drillsStartOutputSchema,
  drillsValidateOutputSchema,
} from './schemas/drills.js';
import {
  acceptHostKeyInputSchema,
  acceptHostKeyOutputSchema,
  auditReadInputSchema,
  auditReadOutputSchema,
  hostActionEventSchema,
  listNodesInputSchema,
  listNodesOutputSchema,
  logsInputSchema,
  logsOutputSchema,
  nodeActionInputSchema,
  nodeActionOutputSchema,
} from './schemas/hosts.js';
import {
  profileGetOutputSchema,
  profileRefInputSchema,
  profileSaveInputSchema,
  profileSaveOutputSchema,
  profileSelectOutputSchema,
  profilesListOutputSchema,
} from './schemas/profiles.js';

/**
 * The contract between the console's renderer and its main process, declared once: methods
 * `domain.verb` with input and output schemas, events `domain.onDidX` with payload schemas.
 * Both transports (Electron IPC, the web bridge) carry exactly this; the router validates every
 * input before a service runs and every output before it leaves; the client validates both again.
 */

/** Bumped whenever a change would break a caller built against the previous contract. */
export const CONTRACT_VERSION = '1.0.0';

/** One method: what it takes, what it returns. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output };
}

/** Every method of the contract. */
export const METHODS = {
  'cluster.snapshot': method(noInputSchema, clusterSnapshotSchema),
  'cluster.presenceUsers': method(presenceUsersQuerySchema, presenceUserPageSchema),
  'cluster.recentEvents': method(recentEventsQuerySchema, recentEventsSchema),
  'cluster.probe': method(probeInputSchema, probeResultSchema),
  'postgres.health': method(noInputSchema, postgresHealthSchema),
  'postgres.consistencyCheck': method(noInputSchema, consistencyReportSchema),
  'hosts.listNodes': method(listNodesInputSchema, listNodesOutputSchema),
  'hosts.start': method(nodeActionInputSchema, nodeActionOutputSchema),
  'hosts.drain': method(nodeActionInputSchema, nodeActionOutputSchema),
  'hosts.kill': method(nodeActionInputSchema, nodeActionOutputSchema),
  'hosts.restart': method(nodeActionInputSchema, nodeActionOutputSchema),
  'hosts.logs': method(logsInputSchema, logsOutputSchema),
  'hosts.acceptHostKey': method(acceptHostKeyInputSchema, acceptHostKeyOutputSchema),
  'audit.read': method(auditReadInputSchema, auditReadOutputSchema),
  'profiles.list': method(noInputSchema, profilesListOutputSchema),
  'profiles.get': method(profileRefInputSchema, profileGetOutputSchema),
  'profiles.save': method(profileSaveInputSchema, profileSaveOutputSchema),
  'profiles.select': method(profileRefInputSchema, profileSelectOutputSchema),
  'drills.listScenarios': method(noInputSchema, drillsListScenariosOutputSchema),
  'drills.validateScenario': method(drillScenarioTextInputSchema, drillsValidateOutputSchema),
  'drills.saveScenario': method(drillScenarioTextInputSchema, drillsSaveOutputSchema),
  'drills.start': method(drillsStartInputSchema, drillsStartOutputSchema),
  'drills.halt': method(drillRunRefInputSchema, drillsHaltOutputSchema),
  'drills.current': method(noInputSchema, drillsCurrentOutputSchema),
  'drills.listRuns': method(noInputSchema, drillsListRunsOutputSchema),
  'drills.getReport': method(drillRunRefInputSchema, drillsGetReportOutputSchema),
  'drills.getReportHtml': method(drillRunRefInputSchema, drillsGetReportHtmlOutputSchema),
} as const;

/** Every event of the contract, with its payload schema. */
export const EVENTS = {
  /** A snapshot (first, and after Redis comes back) or a delta; at most a few per second. */
  'cluster.onDidChange': observerUpdateSchema,
  /** The leader lease changed hands or was lost. */
  'cluster.onDidChangeLeader': leaderChangeSchema,
  /** A node action's progress: started, then succeeded or failed. */
  'hosts.onDidAct': hostActionEventSchema,
  /** A running drill's progress: run started, phases, steps, timeline marks, a sample a second, the verdict. */
  'drills.onDidProgress': drillProgressEventSchema,
} as const;

/** A method's name. */
export type MethodName = keyof typeof METHODS;
/** An event's name. */
export type EventName = keyof typeof EVENTS;
/** What a caller passes to a method (fields with defaults may be left out). */
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
/** What a service receives: the input after validation, defaults applied. */
export type MethodArgs<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;
/** What a method returns. */
export type MethodOutput<M extends MethodName> = z.output<(typeof METHODS)[M]['output']>;
/** An event's payload. */
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** The method names, in declaration order. */
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];
/** The event names, in declaration order. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/**
 * Whether `name` is a method of the contract (own keys only: `toString` is not a method).
 * @example isMethodName('hosts.drain') === true
 */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(METHODS, name);
}

/**
 * Whether `name` is an event of the contract.
 * @example isEventName('cluster.onDidChange') === true
 */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}
