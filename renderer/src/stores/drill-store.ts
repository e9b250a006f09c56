import type { DrillCurrent, DrillProgress } from '@switchboard/shared';
import { create } from 'zustand';
import { applyDrillProgress, replayDrill, type LiveRun } from '../lib/drill-run.js';

/**
 * The drill run the console follows live: folded from `drills.onDidProgress` (api/live.ts) and
 * from the replay `drills.current` gives a view opened mid-run. Its samples and marks are bounded
 * ring buffers (lib/drill-run.ts), so a long drill cannot grow the page without end.
 */
export interface DrillState {
  run: LiveRun | null;
  /** A finished run the operator put away (its panel stays hidden until another run starts). */
  dismissed: string | null;
  /** Folds one live event in. */
  apply(progress: DrillProgress): void;
  /** Folds a `drills.current` answer in (events already seen are skipped). */
  replay(current: DrillCurrent): void;
  /** Hides the finished run's panel. */
  dismiss(runId: string): void;
  reset(): void;
}

/** The live drill run. */
export const useDrillStore = create<DrillState>()((set) => ({
  run: null,
  dismissed: null,
  apply: (progress) => set((state) => ({ run: applyDrillProgress(state.run, progress) })),
  replay: (current) =>
    set((state) => {
      if (current.run === null) return state;
      return { run: replayDrill(state.run, current.run.runId, current.run.events) };
    }),
  dismiss: (runId) => set({ dismissed: runId }),
  reset: () => set({ run: null, dismissed: null }),
}));
