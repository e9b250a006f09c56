import { useMemo } from 'react';
import { ratesPerOrigin } from '../../lib/events.js';
import { recentPairs, type LatencyPair } from '../../lib/latency.js';
import type { LatencySample, PresenceSample, ProbeSample, RateSample } from '../../lib/series.js';
import { useEventsStore } from '../../stores/events-store.js';
import { useSeriesStore } from '../../stores/series-store.js';

/**
 * Ready-made live series for the charts: they read these hooks and fetch nothing. The points
 * come from the live wiring (api/live.ts) into bounded ring buffers (stores/series-store.ts).
 */

/** Users online and open sockets, one point a second (null while Redis is unreachable). */
export function usePresenceSeries(): PresenceSample[] {
  return useSeriesStore((state) => state.presence);
}

/** Bus events per second, in total and `posted`, one point a second. */
export function useRateSeries(): RateSample[] {
  return useSeriesStore((state) => state.rates);
}

/** Every origin→receiver pair's p50/p90/p99, one point per receiver window, keyed `origin→receiver`. */
export function useLatencySeries(): Record<string, LatencySample[]> {
  return useSeriesStore((state) => state.latency);
}

/**
 * Each cross-node pair's latest figures (within the last 30 s), for the matrix, the table and the
 * headline: a pair whose origin was quiet for a second keeps its last figures.
 */
export function useRecentPairs(now: number): LatencyPair[] {
  const latency = useLatencySeries();
  const second = Math.floor(now / 1_000);
  return useMemo(() => recentPairs(latency, second * 1_000), [latency, second]);
}

/** Chart rows with one column per pair, each the pair's `metric` (for an all-pairs chart). */
export interface PairRow {
  t: number;
  [pair: string]: number;
}

/** The `metric` of every pair on one time axis, windows bucketed to the second (receivers close theirs a few ms apart). */
export function usePairsChartRows(metric: 'p50' | 'p90' | 'p99'): { rows: PairRow[]; pairs: string[] } {
  const latency = useLatencySeries();
  return useMemo(() => {
    const byTime = new Map<number, PairRow>();
    for (const [pair, samples] of Object.entries(latency)) {
      for (const sample of samples) {
        const t = Math.floor(sample.t / 1_000) * 1_000;
        const row = byTime.get(t) ?? { t };
        row[pair] = sample[metric];
        byTime.set(t, row);
      }
    }
    return { rows: [...byTime.values()].sort((a, b) => a.t - b.t), pairs: Object.keys(latency).sort() };
  }, [latency, metric]);
}

/** The end-to-end probes, oldest first. */
export function useProbeSeries(): ProbeSample[] {
  return useSeriesStore((state) => state.probes);
}

/** Events per second each node published over the last ten seconds, from the live stream. */
export function useEventRatesPerNode(now: number): Record<string, number> {
  const events = useEventsStore((state) => state.events);
  // Recomputed when events arrive or the clock ticks a second.
  const second = Math.floor(now / 1_000);
  return useMemo(() => ratesPerOrigin(events, second * 1_000), [events, second]);
}
