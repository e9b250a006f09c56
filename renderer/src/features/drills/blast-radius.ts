import { radiusCount, type BlastRadius, type DrillScenario, type DrillStep, type HypothesisCheck, type StepTarget } from '@switchboard/shared';
import { formatDuration } from '../../lib/format.js';

/**
 * What a scenario will do to the watched cluster, in words, for the confirmation before Run:
 * each step with how many nodes it touches (its blast radius) and which ones it could pick now,
 * the hypothesis checked throughout, and when the drill stops by itself. Pure.
 */

/** The cluster as the console sees it now. */
export interface ClusterNow {
  /** Active node ids. */
  active: readonly string[];
  leader: string | null;
}

/** One step, described. */
export interface StepDescription {
  index: number;
  /** What it does, in a sentence. */
  what: string;
  /** Nodes it acts on now (a count of the candidates), null when it acts on no node. */
  nodes: number | null;
  /** Which nodes it could pick now. */
  candidates: readonly string[];
}

function radiusWords(radius: BlastRadius): string {
  if (radius === 'one') return 'one node';
  if (radius === 'all') return 'every node';
  if ('count' in radius) return radius.count === 1 ? 'one node' : `${radius.count} nodes`;
  return `${radius.percent}% of the nodes (rounded up)`;
}

function candidatesOf(target: StepTarget, now: ClusterNow): string[] {
  const pool = now.active.filter((id) => (target.among === 'leader' ? id === now.leader : target.among === 'followers' ? id !== now.leader : true));
  return target.nodes ? pool.filter((id) => target.nodes!.includes(id)) : pool;
}

function amongWords(target: StepTarget): string {
  const role = target.among === 'leader' ? 'the leader' : target.among === 'followers' ? 'the followers' : 'the active nodes';
  const only = target.nodes ? ` (only ${target.nodes.join(', ')})` : '';
  const pick = target.radius === 'all' ? '' : target.pick === 'random' ? ', picked at random' : ', the first by id';
  return `${role}${only}${pick}`;
}

const VERBS = { 'kill-nodes': 'SIGKILL', 'drain-nodes': 'Drain', 'restart-nodes': 'Restart (drain, then start)' } as const;

/** One step of a scenario, in words, against the cluster as it is now. */
export function describeStep(step: DrillStep, index: number, now: ClusterNow): StepDescription {
  const none = { index, nodes: null, candidates: [] };
  switch (step.action) {
    case 'kill-leader':
      return { index, what: `SIGKILL the leader${now.leader ? ` (now ${now.leader})` : ''}: nothing is cleaned up, the lease expires.`, nodes: now.leader ? 1 : 0, candidates: now.leader ? [now.leader] : [] };
    case 'kill-nodes':
    case 'drain-nodes':
    case 'restart-nodes': {
      const candidates = candidatesOf(step.target, now);
      return { index, what: `${VERBS[step.action]} ${radiusWords(step.target.radius)} among ${amongWords(step.target)}.`, nodes: radiusCount(step.target.radius, candidates.length), candidates };
    }
    case 'rolling-restart': {
      const candidates = candidatesOf(step.target, now);
      return { index, what: `Rolling restart of ${radiusWords(step.target.radius)} among ${amongWords(step.target)}: drain, start, wait until active, ${formatDuration(step.settleMs)} pause, one node at a time.`, nodes: radiusCount(step.target.radius, candidates.length), candidates };
    }
    case 'start-stopped':
      return { ...none, what: 'Start every node this drill stopped, and wait until they are active.' };
    case 'wait':
      return { ...none, what: `Wait ${formatDuration(step.ms)}.` };
    case 'settle':
      return { ...none, what: `Wait until the steady-state hypothesis holds again (at most ${formatDuration(step.timeoutMs)}).` };
    case 'restart-redis':
      return { ...none, what: "Restart Redis with the profile's services.redis commands: every node loses the bus for a while." };
    case 'redis-failover':
      return { ...none, what: `SENTINEL FAILOVER: a replica becomes the Redis primary (at most ${formatDuration(step.timeoutMs)}).` };
    case 'restart-postgres':
      return { ...none, what: "Restart Postgres with the profile's services.postgres commands: writes fail until it is back." };
  }
}

/** A hypothesis check in words. */
export function describeCheck(check: HypothesisCheck): string {
  switch (check.check) {
    case 'one-leader':
      return `exactly one leader (may fail for ${formatDuration(check.toleranceMs)})`;
    case 'nodes-active':
      return `${check.min === undefined ? 'every node' : `at least ${check.min} nodes`} active (may fail for ${formatDuration(check.toleranceMs)})`;
    case 'delivery-p99':
      return `delivery p99 under ${check.maxMs} ms over ${formatDuration(check.windowMs)} (may fail for ${formatDuration(check.toleranceMs)})`;
    case 'no-loss':
      return 'no acknowledged post lost';
  }
}

/** The conditions that stop the drill early (verdict Stopped, cluster restored). */
export function describeAbort(scenario: DrillScenario): string[] {
  const { abort } = scenario;
  const lines = [`it runs longer than ${formatDuration(abort.timeLimitMs)}`];
  if (abort.maxNodesDown !== undefined) lines.unshift(`more than ${abort.maxNodesDown === 1 ? 'one node is' : `${abort.maxNodesDown} nodes are`} down at once`);
  if (abort.checkFailuresInARow !== undefined) lines.unshift(`a hypothesis check fails ${abort.checkFailuresInARow} times running`);
  return lines;
}

/** The whole blast radius of a scenario: its steps, the most nodes one step touches, and the probes. */
export function describeScenario(scenario: DrillScenario, now: ClusterNow): { steps: StepDescription[]; maxNodes: number; probes: string } {
  const steps = scenario.steps.map((step, index) => describeStep(step, index, now));
  const maxNodes = Math.max(0, ...steps.map((step) => step.nodes ?? 0));
  const clients = scenario.probes.clients === 'per-node' ? `one probe client per node (${now.active.length})` : `${scenario.probes.clients} probe clients`;
  const probes = `${clients}, each posting ${scenario.probes.ratePerSecond} numbered messages a second into a drill channel of its own`;
  return { steps, maxNodes, probes };
}
