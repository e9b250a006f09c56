import type { ClusterSnapshot, LatencySummary, ProbeResult } from '@switchboard/shared';
import { pushBounded, pushSeries } from './bounded.js';
import { pairKey } from './latency.js';

/**
 * The live series behind the charts, as pure transitions: presence and rates sampled once a
 * second from the current snapshot, latency appended once per receiver window, probe results
 * once per probe. Every list is bounded ({@link SERIES_CAPACITY}).
 */

/** Points kept per series: ten minutes at one a second. @default 600 */
export const SERIES_CAPACITY = 600;

/** Users and sockets at one moment; null while Redis is unreachable (a gap in the chart). */
export interface PresenceSample {
  t: number;
  users: number | null;
  connections: number | null;
}

/** Bus events per second at one moment. */
export interface RateSample {
  t: number;
  total: number | null;
  posted: number | null;
}

/** One pair's figures for one window. */
export interface LatencySample {
  t: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/** One end-to-end probe. */
export interface ProbeSample {
  t: number;
  ok: boolean;
  postMs: number | null;
  /** Per node: ms until its client saw the post, null when it did not. */
  nodes: Record<string, number | null>;
}

/** Every live series. */
export interface Series {
  presence: PresenceSample[];
  rates: RateSample[];
  /** Keyed by {@link pairKey}. */
  latency: Record<string, LatencySample[]>;
  /** The last window recorded per receiver, so a summary read twice is recorded once. */
  latencySeen: Record<string, number>;
  probes: ProbeSample[];
  lastProbeId: string | null;
}

/** No points yet. */
export const EMPTY_SERIES: Series = { presence: [], rates: [], latency: {}, latencySeen: {}, probes: [], lastProbeId: null };

/** Appends one presence and one rate sample at `now` from the current snapshot. */
export function sampleSnapshot(series: Series, snapshot: ClusterSnapshot, now: number): Series {
  const live = snapshot.redis === 'ok';
  const presence: PresenceSample = { t: now, users: live ? snapshot.presence.usersOnline : null, connections: live ? snapshot.presence.connections : null };
  const rate: RateSample = { t: now, total: live ? snapshot.eventRates.total : null, posted: live ? (snapshot.eventRates.perKind.posted ?? 0) : null };
  return { ...series, presence: pushBounded(series.presence, [presence], SERIES_CAPACITY), rates: pushBounded(series.rates, [rate], SERIES_CAPACITY) };
}

/** Appends each receiver's summary whose window is newer than the last one recorded. */
export function recordLatency(series: Series, summaries: readonly LatencySummary[]): Series {
  let next = series;
  for (const summary of summaries) {
    if ((next.latencySeen[summary.nodeId] ?? -1) >= summary.ts) continue;
    let latency = next.latency;
    for (const [origin, figures] of Object.entries(summary.origins)) {
      if (origin === summary.nodeId) continue; // a node's own events are not propagation
      latency = pushSeries(latency, pairKey(origin, summary.nodeId), { t: summary.ts, p50: figures.p50, p90: figures.p90, p99: figures.p99, max: figures.max, count: figures.count }, SERIES_CAPACITY);
    }
    next = { ...next, latency, latencySeen: { ...next.latencySeen, [summary.nodeId]: summary.ts } };
  }
  return next;
}

/** Appends a probe result once (by its id). */
export function recordProbe(series: Series, probe: ProbeResult | null): Series {
  if (!probe || probe.id === series.lastProbeId) return series;
  const nodes = Object.fromEntries(probe.nodes.map((node) => [node.nodeId, node.latencyMs]));
  const sample: ProbeSample = { t: probe.at, ok: probe.ok, postMs: probe.postMs, nodes };
  return { ...series, probes: pushBounded(series.probes, [sample], SERIES_CAPACITY), lastProbeId: probe.id };
}
