import { SwitchboardError, type ClusterProfile, type DrillEvent, type DrillReport, type DrillSample, type DrillScenario, type StepResult, type TimelineEntry, type TimelineKind } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { HostService } from '../hosts/host-service.js';
import { checkProbeLog, latencyFigures } from './checker.js';
import { ClusterWatch } from './cluster-watch.js';
import { HypothesisTracker, type SteadyStateView } from './hypothesis.js';
import { ProbeFleet } from './probe-fleet.js';
import { describeStep, pause, runStep, startNode, startService, type StepContext } from './steps.js';
import { decideVerdict, judgeThresholds, stepAt } from './verdict.js';

/** How often a sample is taken and the hypothesis and abort conditions are checked, ms. @default 1000 */
export const DRILL_TICK_MS = 1_000;

/** What one run needs. */
export interface DrillRunDeps {
  runId: string;
  scenario: DrillScenario;
  profile: ClusterProfile;
  hosts: HostService;
  /** A command connection to the cluster's Redis (the run does not close it). */
  redis: Redis;
  /** The probe users' password. */
  probePassword: string;
  redisPassword?: string;
  log: Logger;
  emit: (event: DrillEvent) => void;
}

type Phase = 'preflight' | 'baseline' | 'steps' | 'settle' | 'restore' | 'done';

/**
 * One drill run, from preflight to report: checks the steady-state hypothesis with the probes
 * running, runs the steps while sampling every second (hypothesis and abort conditions
 * included), settles, waits for the last deliveries, restores what the drill stopped, then
 * judges. `halt()` aborts at once: waits end, the cluster is restored, the verdict is Stopped.
 */
export class DrillRun {
  readonly startedAt = Date.now();
  phase: Phase = 'preflight';
  stepIndex: number | null = null;
  readonly #deps: DrillRunDeps;
  readonly #abort = new AbortController();
  readonly #timeline: TimelineEntry[] = [];
  readonly #series: DrillSample[] = [];
  readonly #steps: StepResult[] = [];
  readonly #stopped = new Set<string>();
  readonly #dead = new Set<string>();
  readonly #stoppedServices = new Set<'redis' | 'postgres'>();
  readonly #tracker: HypothesisTracker;
  readonly #watch: ClusterWatch;
  #fleet: ProbeFleet | undefined;
  #nodes: string[] = [];
  #abortReason: string | undefined;
  #tick: NodeJS.Timeout | undefined;
  #judging = false;

  constructor(deps: DrillRunDeps) {
    this.#deps = deps;
    this.#tracker = new HypothesisTracker(deps.scenario.hypothesis);
    this.#watch = new ClusterWatch({
      redis: deps.redis,
      cluster: deps.profile.cluster,
      isStopped: (id) => this.#dead.has(id),
      onMark: (mark) => this.#mark(mark.kind, mark.detail, { node: mark.node, at: mark.at }),
    });
  }

  /** Aborts the run (Halt, Ctrl-C, an abort condition): it restores the cluster and ends Stopped. */
  halt(reason: string): void {
    if (this.#abortReason !== undefined || this.phase === 'done') return;
    this.#abortReason = reason;
    this.#mark('abort', reason);
    this.#abort.abort(reason);
  }

  /** Runs the drill to its report (never rejects for the cluster's behaviour; only for bugs). */
  async run(): Promise<DrillReport> {
    const { scenario } = this.#deps;
    let refused: string | undefined;
    try {
      refused = await this.#prepare();
      if (refused === undefined && !this.#abort.signal.aborted) await this.#runSteps();
      if (refused === undefined && !this.#abort.signal.aborted) await this.#settle();
    } catch (err) {
      refused ??= `the drill could not run: ${(err as Error).message}${(err as SwitchboardError).detail ? ` (${(err as SwitchboardError).detail})` : ''}`;
      this.#deps.log.warn({ err }, 'drill run failed');
    }
    this.#fleet?.stopPosting(Date.now());
    clearInterval(this.#tick);
    const restore = await this.#restore();
    this.#setPhase('done');
    const report = this.#judge(refused, restore);
    this.#fleet?.close();
    this.#watch.stop();
    this.#deps.emit({ type: 'verdict', runId: this.#deps.runId, at: report.endedAt, verdict: report.verdict, reason: report.reason, lost: report.lost, unexpected: report.unexpected, recovered: report.recovered, reordered: report.reordered, thresholds: report.thresholds });
    this.#deps.log.info({ drillId: this.#deps.runId, scenario: scenario.name, verdict: report.verdict }, 'drill finished');
    return report;
  }

  /** Watch, nodes, probes, baseline, hypothesis before. Returns why the drill may not start, if so. */
  async #prepare(): Promise<string | undefined> {
    const { scenario, profile, runId } = this.#deps;
    await this.#watch.start();
    if (!this.#watch.reachable) return 'Redis cannot be read: the cluster cannot be watched';
    const listing = await this.#deps.hosts.listNodes();
    const nodeHosts = new Map(listing.nodes.map((node) => [node.id, node.host]));
    this.#nodeHosts = nodeHosts;
    this.#nodes = this.#watch.active();
    this.#deps.emit({
      type: 'run-started',
      runId,
      scenario: scenario.name,
      profile: profile.name,
      at: this.startedAt,
      nodes: this.#nodes,
      steps: scenario.steps.map((step, index) => ({ index, action: step.action, description: step.label ?? describeStep(step) })),
    });
    this.#mark('run-started', `${scenario.name} on ${profile.name}: nodes ${this.#nodes.join(', ') || 'none'}`, { at: this.startedAt });
    if (this.#nodes.length === 0) return 'no active node in the registry';
    const nodes = this.#nodes.map((id) => ({ id, url: this.#watch.httpAddress(id)! }));
    this.#fleet = new ProbeFleet({
      runId,
      apiUrl: profile.apiUrl!,
      password: this.#deps.probePassword,
      nodes,
      clients: scenario.probes.clients,
      ratePerSecond: scenario.probes.ratePerSecond,
      resume: scenario.probes.resume,
      backfill: scenario.probes.backfill,
      onMilestone: (client, kind, detail, durationMs) => this.#mark(kind, detail, { client, ...(durationMs === undefined ? {} : { durationMs }) }),
    });
    await this.#fleet.start();
    this.#setPhase('baseline');
    this.#fleet.startPosting();
    this.#tick = setInterval(() => this.#onTick(), DRILL_TICK_MS);
    await pause(scenario.probes.baselineMs, this.#abort.signal);
    this.#fleet.endBaseline(Date.now());
    this.#mark('baseline-done', `baseline: delivery p99 ${latencyFigures(this.#fleet.latenciesBetween(this.startedAt, Date.now())).p99 ?? '-'} ms`);
    await this.#watch.poll();
    const failing = this.#tracker.before(this.#view());
    if (this.#fleet.connectedCount() < this.#fleet.clients.length) failing.push({ check: 'probes-connected', detail: `${this.#fleet.connectedCount()} of ${this.#fleet.clients.length} probe clients connected` });
    if (failing.length > 0) return `the steady-state hypothesis did not hold before the drill: ${failing.map((entry) => `${entry.check} (${entry.detail})`).join('; ')}`;
    return undefined;
  }

  #nodeHosts = new Map<string, string>();

  async #runSteps(): Promise<void> {
    this.#setPhase('steps');
    const context: StepContext = {
      profile: this.#deps.profile,
      hosts: this.#deps.hosts,
      watch: this.#watch,
      nodeHosts: this.#nodeHosts,
      stopped: this.#stopped,
      dead: this.#dead,
      stoppedServices: this.#stoppedServices,
      signal: this.#abort.signal,
      steady: () => this.#tracker.current(this.#view()).length === 0 && (this.#fleet?.connectedCount() ?? 0) === (this.#fleet?.clients.length ?? 0),
      mark: (kind, detail, node) => this.#mark(kind, detail, node === undefined ? {} : { node }),
      ...(this.#deps.redisPassword === undefined ? {} : { redisPassword: this.#deps.redisPassword }),
    };
    for (const [index, step] of this.#deps.scenario.steps.entries()) {
      if (this.#abort.signal.aborted) return;
      const description = step.label ?? describeStep(step);
      const result: StepResult = { index, action: step.action, description, startedAt: Date.now(), endedAt: null, ok: false, targets: [], error: null };
      this.#steps.push(result);
      this.stepIndex = index;
      this.#deps.emit({ type: 'step-started', runId: this.#deps.runId, at: result.startedAt, index, action: step.action, description });
      try {
        const outcome = await runStep(step, context);
        result.ok = !this.#abort.signal.aborted;
        result.targets = outcome.targets;
        if (this.#abort.signal.aborted) result.error = `aborted: ${this.#abortReason}`;
        this.#mark(result.ok ? 'step-done' : 'step-failed', `step ${index + 1} ${step.action}: ${result.ok ? outcome.detail : result.error}`);
      } catch (err) {
        result.error = `${(err as Error).message}${(err as SwitchboardError).detail ? ` (${(err as SwitchboardError).detail})` : ''}`;
        this.#mark('step-failed', `step ${index + 1} ${step.action} failed: ${result.error}`);
      }
      result.endedAt = Date.now();
      this.#deps.emit({ type: 'step-finished', runId: this.#deps.runId, at: result.endedAt, step: { ...result } });
      if (!result.ok) return;
    }
  }

  /** Quiet time, then posting stops and the last deliveries get their delivery timeout. */
  async #settle(): Promise<void> {
    const { scenario } = this.#deps;
    this.#setPhase('settle');
    await pause(scenario.settleMs, this.#abort.signal);
    if (this.#abort.signal.aborted || !this.#fleet) return;
    this.#fleet.stopPosting(Date.now());
    const deadline = Date.now() + scenario.probes.deliveryTimeoutMs;
    while (this.#fleet.overdue(Number.POSITIVE_INFINITY) > 0 && Date.now() < deadline && !this.#abort.signal.aborted) await pause(100, this.#abort.signal);
    await this.#watch.poll();
    this.#tracker.after({ ...this.#view(), overdue: this.#fleet.overdue(Number.POSITIVE_INFINITY) });
  }

  /** Starts what the drill stopped (nodes, services), whatever happened. */
  async #restore(): Promise<DrillReport['restore']> {
    const actions: string[] = [];
    const errors: string[] = [];
    if (this.#stopped.size === 0 && this.#stoppedServices.size === 0) return { ok: true, actions, errors };
    this.#setPhase('restore');
    const signal = new AbortController().signal;
    for (const service of [...this.#stoppedServices]) {
      try {
        await startService(this.#deps.profile, this.#deps.hosts, service);
        this.#stoppedServices.delete(service);
        actions.push(`started ${service}`);
      } catch (err) {
        errors.push(`start ${service}: ${(err as Error).message}`);
      }
    }
    await Promise.all(
      [...this.#stopped].sort().map(async (id) => {
        try {
          await startNode({ hosts: this.#deps.hosts, watch: this.#watch, nodeHosts: this.#nodeHosts, stopped: this.#stopped, dead: this.#dead, signal }, id);
          actions.push(`started ${id}`);
        } catch (err) {
          errors.push(`start ${id}: ${(err as Error).message}`);
        }
      }),
    );
    this.#mark('restored', errors.length === 0 ? `restored: ${actions.join(', ')}` : `restore incomplete: ${errors.join('; ')}`);
    return { ok: errors.length === 0, actions, errors };
  }

  #judge(refused: string | undefined, restore: DrillReport['restore']): DrillReport {
    this.#judging = true;
    const { scenario, profile, runId } = this.#deps;
    const endedAt = Date.now();
    const log = this.#fleet?.probeLog(scenario.probes.deliveryTimeoutMs) ?? { clients: [], sends: [], receipts: [], baselineEndAt: endedAt, postingEndedAt: endedAt, deliveryTimeoutMs: scenario.probes.deliveryTimeoutMs };
    if (log.postingEndedAt === 0) log.postingEndedAt = endedAt;
    const result = checkProbeLog(log);
    const leadership = this.#watch.leadership();
    const postInterval = 1000 / scenario.probes.ratePerSecond;
    for (const gap of result.gaps) {
      if (gap.to - gap.from > Math.max(1000, 3 * postInterval)) this.#mark('probe-gap', `${gap.client} saw nothing for ${Math.round(gap.to - gap.from)} ms`, { client: gap.client, at: gap.from, durationMs: gap.to - gap.from });
    }
    const thresholds = judgeThresholds(scenario.thresholds, result, leadership, this.#steps);
    const hypothesis = this.#tracker.results((at) => stepAt(this.#steps, at));
    const stopped = refused !== undefined || this.#abortReason !== undefined;
    const decided = decideVerdict(thresholds, hypothesis, this.#steps);
    const verdict = stopped ? 'Stopped' : decided.verdict;
    const reason = stopped ? `stopped: ${this.#abortReason ?? refused}${restore.ok ? '' : `; restore incomplete: ${restore.errors.join('; ')}`}` : restore.ok ? decided.reason : `${decided.reason}; restore incomplete: ${restore.errors.join('; ')}`;
    this.#mark('run-finished', `${verdict}: ${reason}`, { at: endedAt });
    return {
      version: 1,
      runId,
      verdict: verdict === 'Pass' && !restore.ok ? 'Fail' : verdict,
      lost: result.lost,
      unexpected: result.unexpected,
      recovered: result.recovered,
      reordered: result.reordered,
      probeSuccessPercent: result.probeSuccessPercent,
      reason,
      scenario,
      profile: profile.name,
      cluster: profile.cluster,
      startedAt: this.startedAt,
      endedAt,
      nodes: this.#nodes,
      thresholds,
      hypothesis,
      steps: this.#steps,
      timeline: [...this.#timeline].sort((a, b) => a.at - b.at),
      series: this.#series,
      figures: {
        attempted: result.attempted,
        acknowledged: result.acknowledged,
        postErrors: result.postErrors,
        deliveredInTime: result.deliveredInTime,
        duplicated: result.duplicated,
        neverSent: result.neverSent,
        missingDeliveries: result.missingDeliveries,
        longestGapMs: result.longestGapMs,
        timeWithoutLeaderMs: Math.round(leadership.totalLeaderlessMs),
        leaderChanges: leadership.leaderChanges,
        longestResumeMs: result.longestResumeMs,
        baseline: result.baseline,
        drill: result.drill,
        clients: result.clients,
      },
      restore,
    };
  }

  /** Every second: a sample; during the fault also the hypothesis and the abort conditions. */
  #onTick(): void {
    const fleet = this.#fleet;
    if (!fleet || this.#judging) return;
    const now = Date.now();
    const latencies = latencyFigures(fleet.latenciesBetween(now - DRILL_TICK_MS, now));
    const counts = fleet.countsBetween(now - DRILL_TICK_MS, now);
    const health = this.#watch.health();
    // A node nodectl confirmed gone is down, even while its registry entry lives out its TTL.
    const nodes = Object.fromEntries(this.#nodes.map((id) => [id, this.#dead.has(id) ? 'down' : (health.get(id) ?? 'down')]));
    const states = Object.values(nodes);
    const sample: DrillSample = {
      at: now,
      latencyP50Ms: latencies.p50,
      latencyP99Ms: latencies.p99,
      latencyMaxMs: latencies.max,
      postsPerSecond: counts.acknowledged,
      deliveriesPerSecond: counts.deliveries,
      errorsPerSecond: counts.errors,
      nodesActive: states.filter((state) => state === 'active').length,
      nodesDraining: states.filter((state) => state === 'draining').length,
      nodesDown: states.filter((state) => state === 'down').length,
      leader: this.#watch.leader,
      clientsConnected: fleet.connectedCount(),
      nodes,
    };
    this.#series.push(sample);
    this.#deps.emit({ type: 'sample', runId: this.#deps.runId, sample });
    if (this.phase !== 'steps' && this.phase !== 'settle') return;
    const { started, recovered, worstRun } = this.#tracker.during(this.#view());
    for (const entry of started) this.#mark('check-failed', `${entry.check} failing: ${entry.detail}`);
    for (const check of recovered) this.#mark('check-recovered', `${check} holds again`);
    const abort = this.#deps.scenario.abort;
    const notActive = states.length - sample.nodesActive;
    if (abort.maxNodesDown !== undefined && notActive > abort.maxNodesDown) this.halt(`abort condition: ${notActive} nodes down (most allowed ${abort.maxNodesDown})`);
    else if (abort.checkFailuresInARow !== undefined && worstRun >= abort.checkFailuresInARow) this.halt(`abort condition: a hypothesis check failed ${worstRun} times running`);
    else if (now - this.startedAt > abort.timeLimitMs) this.halt(`abort condition: time limit of ${abort.timeLimitMs} ms reached`);
  }

  #view(): SteadyStateView {
    const fleet = this.#fleet;
    const now = Date.now();
    return {
      now,
      leader: this.#watch.leader,
      activeNodes: this.#watch.active().filter((id) => !this.#stopped.has(id)).length,
      initialNodes: this.#nodes.length,
      latencies: (windowMs) => fleet?.latenciesBetween(now - windowMs, now) ?? [],
      overdue: fleet?.overdue(now - this.#deps.scenario.probes.deliveryTimeoutMs) ?? 0,
    };
  }

  #setPhase(phase: Phase): void {
    this.phase = phase;
    this.#deps.emit({ type: 'phase', runId: this.#deps.runId, at: Date.now(), phase });
  }

  #mark(kind: TimelineKind, detail: string, extra: { node?: string | undefined; client?: string; at?: number; durationMs?: number } = {}): void {
    const at = extra.at ?? Date.now();
    const entry: TimelineEntry = {
      at,
      kind,
      step: stepAt(this.#steps, at),
      ...(extra.node === undefined ? {} : { node: extra.node }),
      ...(extra.client === undefined ? {} : { client: extra.client }),
      ...(extra.durationMs === undefined ? {} : { durationMs: Math.round(extra.durationMs) }),
      detail,
    };
    this.#timeline.push(entry);
    this.#deps.emit({ type: 'mark', runId: this.#deps.runId, mark: entry });
  }
}
