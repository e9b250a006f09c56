import type { ClusterProfile, EventPayload, MethodArgs, MethodName, MethodOutput, NodeAction } from '@switchboard/shared';

/**
 * What the router calls, and nothing more: one small interface per contract domain. The
 * composition root (app/console-services.ts) adapts the core services to these; tests give
 * in-memory fakes. A method may return its value or a promise of it.
 */

/** A method's output, or a promise of it. */
type Answer<M extends MethodName> = MethodOutput<M> | Promise<MethodOutput<M>>;

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

/** `cluster.*`: the observer. */
export interface ClusterServices {
  snapshot(): Answer<'cluster.snapshot'>;
  presenceUsers(query: MethodArgs<'cluster.presenceUsers'>): Answer<'cluster.presenceUsers'>;
  recentEvents(query: MethodArgs<'cluster.recentEvents'>): Answer<'cluster.recentEvents'>;
  probe(input: MethodArgs<'cluster.probe'>): Answer<'cluster.probe'>;
  /** Snapshots and deltas, at most a few per second; the first call to a listener is a snapshot. */
  onDidChange(listener: (update: EventPayload<'cluster.onDidChange'>) => void): Unsubscribe;
  onDidChangeLeader(listener: (change: EventPayload<'cluster.onDidChangeLeader'>) => void): Unsubscribe;
}

/** `postgres.*`: the inspector. */
export interface PostgresServices {
  health(): Answer<'postgres.health'>;
  consistencyCheck(): Answer<'postgres.consistencyCheck'>;
}

/** `hosts.*`: node control through nodectl. */
export interface HostServices {
  listNodes(): Answer<'hosts.listNodes'>;
  action(host: string, nodeId: string, action: NodeAction): Answer<'hosts.start'>;
  logs(host: string, nodeId: string, lines: number): Answer<'hosts.logs'>;
  acceptHostKey(host: string, fingerprint: string): Answer<'hosts.acceptHostKey'>;
  /** Every action's progress: started, then succeeded or failed. */
  onDidAct(listener: (event: EventPayload<'hosts.onDidAct'>) => void): Unsubscribe;
}

/** `audit.*`: the action log. */
export interface AuditServices {
  read(query: MethodArgs<'audit.read'>): Answer<'audit.read'>;
}

/** `profiles.*`: the known profiles and the one being watched. */
export interface ProfileServices {
  list(): Answer<'profiles.list'>;
  get(name: string): Answer<'profiles.get'>;
  save(profile: ClusterProfile): Answer<'profiles.save'>;
  /** Switches the console to the profile `name` (closing the previous one's connections). */
  select(name: string): Answer<'profiles.select'>;
}

/** `drills.*`: failover drills against the watched profile's cluster. */
export interface DrillServices {
  listScenarios(): Answer<'drills.listScenarios'>;
  validateScenario(text: string): Answer<'drills.validateScenario'>;
  saveScenario(text: string): Answer<'drills.saveScenario'>;
  /** Starts a drill against the profile the console watches; resolves once it is under way. */
  start(input: MethodArgs<'drills.start'>): Answer<'drills.start'>;
  /** Aborts the run at once and restores the cluster (verdict Stopped). */
  halt(runId: string): Answer<'drills.halt'>;
  current(): Answer<'drills.current'>;
  listRuns(): Answer<'drills.listRuns'>;
  getReport(runId: string): Answer<'drills.getReport'>;
  getReportHtml(runId: string): Answer<'drills.getReportHtml'>;
  /** Every live event of every run, in order. */
  onDidProgress(listener: (event: EventPayload<'drills.onDidProgress'>) => void): Unsubscribe;
}

/** Everything the router routes to. */
export interface ConsoleServices {
  cluster: ClusterServices;
  postgres: PostgresServices;
  hosts: HostServices;
  audit: AuditServices;
  profiles: ProfileServices;
  drills: DrillServices;
}
