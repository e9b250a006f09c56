import type { ClusterSnapshot } from '@switchboard/shared';
import { create } from 'zustand';
import { EMPTY_SERIES, recordLatency, recordProbe, sampleSnapshot, type Series } from '../lib/series.js';

/** The live series store: bounded ring buffers the charts read through api/queries hooks. */
export interface SeriesState extends Series {
  /** Records what a new snapshot brings (latency windows, a probe). */
  ingest(snapshot: ClusterSnapshot): void;
  /** Takes the once-a-second presence and rate sample. */
  tick(snapshot: ClusterSnapshot, now: number): void;
  /** Forgets every point (another profile was selected). */
  reset(): void;
}

/** Live series of the watched cluster. */
export const useSeriesStore = create<SeriesState>()((set) => ({
  ...EMPTY_SERIES,
  ingest: (snapshot) => set((state) => recordProbe(recordLatency(state, snapshot.latency), snapshot.probe)),
  tick: (snapshot, now) => set((state) => sampleSnapshot(state, snapshot, now)),
  reset: () => set(EMPTY_SERIES),
}));
