import type { HostNode, LeaderInfo, ObservedNode } from '@switchboard/shared';
import type { LatencyPair } from '../../lib/latency.js';
import { nodeP99 } from '../../lib/latency.js';
import { nodeKey, type ActionRecord } from '../../stores/actions-store.js';

/**
 * One table row per node, from three sources that each know part of the story: the registry in
 * Redis (what a live node says about itself), nodectl on each host (whether its process runs),
 * and the console's memory (nodes that were there and vanished, the last action on each).
 */

/** A heartbeat older than this marks a node stale, ms (nodes beat every second). @default 3000 */
export const STALE_HEARTBEAT_MS = 3_000;

/** What the table says a node is doing. */
export type RowState = 'starting' | 'active' | 'draining' | 'stale' | 'drained' | 'gone' | 'stopped' | 'unreachable';

/** States in which a node serves nobody. */
export const DOWN_STATES: readonly RowState[] = ['drained', 'gone', 'stopped', 'unreachable'];

/** One row of the Nodes table. */
export interface NodeRow {
  id: string;
  /** The profile host that runs it (null when no host of the profile lists it). */
  host: string | null;
  /** The machine's host name from its registry entry. */
  machine: string | null;
  state: RowState;
  isLeader: boolean;
  /** Registry entry (the last one seen, for a gone node). */
  entry: ObservedNode | null;
  /** nodectl's view. */
  hostNode: HostNode | null;
  heartbeatAgeMs: number | null;
  configMismatch: boolean;
  schemaMismatch: boolean;
  p99In: number | null;
  p99Out: number | null;
  eventsPerSecond: number | null;
}

/** Everything the rows are made from. */
export interface NodeRowSources {
  registry: readonly ObservedNode[];
  /** How long ago the registry was read, ms (ages grow while Redis is away). */
  registryAgeMs: number;
  hostNodes: readonly HostNode[];
  seen: Readonly<Record<string, { entry: ObservedNode; lastSeen: number }>>;
  actions: Readonly<Record<string, ActionRecord>>;
  leader: LeaderInfo | null;
  pairs: readonly LatencyPair[];
  eventRates: Readonly<Record<string, number>>;
  now: number;
}

/** The value most nodes share, or undefined when all agree or there is nothing to compare. */
function outlierBaseline(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  if (counts.size < 2) return undefined;
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

/** Why a node serves nobody: its host is unreachable, it was drained, it died or was killed, or it never ran. */
function downState(hostNode: HostNode | null, lastAction: ActionRecord | undefined, wasSeen: boolean): RowState {
  if (hostNode?.state === 'unreachable') return 'unreachable';
  if (lastAction?.phase === 'succeeded' && lastAction.action === 'drain') return 'drained';
  if (lastAction?.phase === 'succeeded' && lastAction.action === 'kill') return 'gone';
  return wasSeen ? 'gone' : 'stopped';
}

function rowState(entry: ObservedNode | undefined, hostNode: HostNode | null, lastAction: ActionRecord | undefined, ageMs: number | null, wasSeen: boolean): RowState {
  const processDown = hostNode !== null && (!hostNode.running || hostNode.state === 'stopped' || hostNode.state === 'unreachable');
  if (entry && !processDown) return ageMs !== null && ageMs > STALE_HEARTBEAT_MS ? 'stale' : entry.state;
  if (!entry && hostNode && !processDown) return hostNode.state === 'draining' ? 'draining' : 'starting';
  return downState(hostNode, lastAction, wasSeen);
}

/**
 * The rows of the Nodes table, sorted by node id.
 * @example buildNodeRows({ registry: snapshot.nodes, hostNodes, seen, actions, leader, pairs, eventRates, registryAgeMs: 0, now: Date.now() })
 */
export function buildNodeRows(sources: NodeRowSources): NodeRow[] {
  const live = new Map(sources.registry.map((entry) => [entry.id, entry]));
  const hosts = new Map(sources.hostNodes.map((node) => [node.id, node]));
  const ids = new Set([...live.keys(), ...hosts.keys(), ...Object.keys(sources.seen)]);
  const configBaseline = outlierBaseline(sources.registry.map((entry) => entry.configHash));
  const schemaBaseline = outlierBaseline(sources.registry.map((entry) => entry.schemaVersion));
  return [...ids].sort().map((id) => {
    const entry = live.get(id);
    const hostNode = hosts.get(id) ?? null;
    const shown = entry ?? sources.seen[id]?.entry ?? null;
    const lastAction = hostNode ? sources.actions[nodeKey(hostNode.host, id)] : undefined;
    const ageMs = entry ? entry.heartbeatAgeMs + sources.registryAgeMs : null;
    const state = rowState(entry, hostNode, lastAction, ageMs, shown !== null);
    const up = !DOWN_STATES.includes(state);
    const p99 = nodeP99(sources.pairs, id);
    return {
      id,
      host: hostNode?.host ?? null,
      machine: shown?.host ?? null,
      state,
      isLeader: up && sources.leader?.nodeId === id,
      entry: shown,
      hostNode,
      heartbeatAgeMs: ageMs ?? (sources.seen[id] ? sources.now - sources.seen[id].entry.lastBeat : null),
      configMismatch: entry !== undefined && configBaseline !== undefined && entry.configHash !== configBaseline,
      schemaMismatch: entry !== undefined && schemaBaseline !== undefined && entry.schemaVersion !== schemaBaseline,
      p99In: up ? p99.in : null,
      p99Out: up ? p99.out : null,
      eventsPerSecond: up ? (sources.eventRates[id] ?? 0) : null,
    };
  });
}
