// Node-to-node latency as the nodes measure it themselves: each node publishes a per-second
// summary of origin -> here propagation (envelope `ts` against its Redis-corrected clock) to
// `latency:{nodeId}`; cluster-node's own readLatency reads them. Polled four times a window so
// no window is missed; windows are told apart by their `ts`.
import { clusterKeys } from '@switchboard/shared';
import { readLatency } from '../../cluster-node/dist/cluster/latency.js';
import { round3 } from './stats.mjs';

const POLL_MS = 250;

/**
 * Collects the windows nodes `receivers` report for envelopes from `origin` until `stop()`,
 * which resolves with the aggregate (see {@link aggregateWindows}).
 */
export function pollNodeLatency(redis, cluster, origin, receivers) {
  const keys = clusterKeys(cluster);
  const seen = new Set();
  const windows = [];
  const latest = new Map();
  const poll = async () => {
    for (const summary of await readLatency(redis, keys).catch(() => [])) {
      if (!receivers.includes(summary.nodeId)) continue;
      latest.set(summary.nodeId, Math.max(latest.get(summary.nodeId) ?? 0, summary.ts));
      const figures = summary.origins[origin];
      const key = `${summary.nodeId}@${summary.ts}`;
      if (!figures || seen.has(key)) continue;
      seen.add(key);
      windows.push({ nodeId: summary.nodeId, ts: summary.ts, ...figures });
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  return {
    async stop() {
      clearInterval(timer);
      // The window holding the last envelopes closes up to a second later: wait until every
      // receiver has published one that ends after now (at most 1.5 s).
      const now = Date.now();
      for (let i = 0; i < 15 && !receivers.every((id) => (latest.get(id) ?? 0) >= now); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await poll();
      }
      return aggregateWindows(windows);
    },
  };
}

function weightedMedian(windows, field) {
  const sorted = windows.filter((w) => Number.isFinite(w[field])).sort((a, b) => a[field] - b[field]);
  const total = sorted.reduce((sum, w) => sum + w.count, 0);
  let seen = 0;
  for (const w of sorted) {
    seen += w.count;
    if (seen * 2 >= total) return w[field];
  }
  return null;
}

/**
 * One figure set from per-second windows: for each quantile, the sample-weighted median over
 * the windows of that window's quantile; `max` is the largest of all; `count` all samples.
 */
export function aggregateWindows(windows) {
  if (windows.length === 0) return { count: 0, windows: 0, p50: null, p90: null, p99: null, max: null, clockSkew: 0 };
  return {
    count: windows.reduce((sum, w) => sum + w.count, 0),
    windows: windows.length,
    p50: round3(weightedMedian(windows, 'p50')),
    p90: round3(weightedMedian(windows, 'p90')),
    p99: round3(weightedMedian(windows, 'p99')),
    max: round3(Math.max(...windows.map((w) => w.max))),
    clockSkew: windows.reduce((sum, w) => sum + (w.clockSkew ?? 0), 0),
  };
}
