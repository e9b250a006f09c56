/**
 * Propagation latency reshaped for the views: origin→receiver pairs out of the live series of the
 * per-receiver summaries the nodes publish, the node×node matrix, and the cross-node headline figure.
 */

/** p99 above this is an alert and paints the matrix red, ms. @default 250 */
export const LATENCY_ALERT_P99_MS = 250;
/** p99 above this paints the matrix amber, ms. @default 50 */
export const LATENCY_WARN_P99_MS = 50;

/** One origin→receiver pair's figures for one window. */
export interface LatencyPair {
  origin: string;
  receiver: string;
  /** When the receiver's window closed, epoch ms. */
  ts: number;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The key of a pair in series and lookups.
 * @example pairKey('n1', 'n2') === 'n1→n2'
 */
export function pairKey(origin: string, receiver: string): string {
  return `${origin}→${receiver}`;
}

/** How long a pair's last figures stay on screen without a newer window, ms. @default 30000 */
export const PAIR_MAX_AGE_MS = 30_000;

/** A sample of a pair's series, as the series store keeps it. */
interface PairSample {
  t: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/**
 * Each pair's latest window from the live series, if newer than `maxAgeMs` (a pair is quiet in
 * the windows where its origin published nothing: its last figures stay meanwhile).
 * @example recentPairs(useLatencySeries(), Date.now())
 */
export function recentPairs(series: Readonly<Record<string, readonly PairSample[]>>, now: number, maxAgeMs = PAIR_MAX_AGE_MS): LatencyPair[] {
  const pairs: LatencyPair[] = [];
  for (const [key, samples] of Object.entries(series)) {
    const last = samples.at(-1);
    const [origin, receiver] = key.split('→');
    if (!last || !origin || !receiver || origin === receiver || now - last.t > maxAgeMs) continue;
    pairs.push({ origin, receiver, ts: last.t, count: last.count, p50: last.p50, p90: last.p90, p99: last.p99, max: last.max });
  }
  return pairs.sort((a, b) => a.origin.localeCompare(b.origin) || a.receiver.localeCompare(b.receiver));
}

/** The highest p99 among pairs (the cross-node headline), or null without any pair. */
export function worstP99(pairs: readonly LatencyPair[]): number | null {
  return pairs.length === 0 ? null : Math.max(...pairs.map((pair) => pair.p99));
}

/** A node's worst p99 receiving (`in`) and publishing (`out`). */
export function nodeP99(pairs: readonly LatencyPair[], nodeId: string): { in: number | null; out: number | null } {
  return { in: worstP99(pairs.filter((pair) => pair.receiver === nodeId)), out: worstP99(pairs.filter((pair) => pair.origin === nodeId)) };
}

/** How a p99 reads: fine, slow, or past the alert threshold. */
export type LatencyLevel = 'ok' | 'warn' | 'alert';

/**
 * The level of a p99 figure.
 * @example latencyLevel(12) === 'ok'
 */
export function latencyLevel(p99: number): LatencyLevel {
  if (p99 > LATENCY_ALERT_P99_MS) return 'alert';
  if (p99 > LATENCY_WARN_P99_MS) return 'warn';
  return 'ok';
}

/** The node×node matrix: rows are origins, columns receivers, a cell is the pair or null. */
export interface LatencyMatrix {
  nodes: string[];
  cell(origin: string, receiver: string): LatencyPair | null;
}

/** The matrix over `nodes` (plus any node only the pairs mention), sorted. */
export function latencyMatrix(pairs: readonly LatencyPair[], nodes: readonly string[]): LatencyMatrix {
  const ids = new Set(nodes);
  for (const pair of pairs) ids.add(pair.origin).add(pair.receiver);
  const byKey = new Map(pairs.map((pair) => [pairKey(pair.origin, pair.receiver), pair]));
  return { nodes: [...ids].sort(), cell: (origin, receiver) => byKey.get(pairKey(origin, receiver)) ?? null };
}
