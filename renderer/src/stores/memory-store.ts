import type { ClusterSnapshot, LeaderChange, ObservedNode } from '@switchboard/shared';
import { create } from 'zustand';
import { pushBounded } from '../lib/bounded.js';

/** Leadership changes remembered beyond the observer's history. @default 200 */
export const LEADER_CHANGES_CAPACITY = 200;

/**
 * What the console remembers that Redis forgets: every node it has seen in the registry (so a
 * node whose entry expired stays on screen as gone) and the leadership changes it witnessed
 * (with the moments the lease was vacant, which the history stream cannot record).
 */
export interface MemoryState {
  /** Last registry entry and when it was last in a snapshot, per node id. */
  seen: Record<string, { entry: ObservedNode; lastSeen: number }>;
  leaderChanges: LeaderChange[];
  /** Remembers the nodes of a snapshot taken while Redis answered. */
  remember(snapshot: ClusterSnapshot): void;
  recordLeaderChange(change: LeaderChange): void;
  /** Forgets a node (the operator removed it from view). */
  forget(nodeId: string): void;
  reset(): void;
}

/** The console's memory of the watched cluster. */
export const useMemoryStore = create<MemoryState>()((set) => ({
  seen: {},
  leaderChanges: [],
  remember: (snapshot) => {
    if (snapshot.redis !== 'ok' || snapshot.nodes.length === 0) return;
    set((state) => {
      const seen = { ...state.seen };
      for (const entry of snapshot.nodes) seen[entry.id] = { entry, lastSeen: snapshot.at };
      return { seen };
    });
  },
  recordLeaderChange: (change) => set((state) => ({ leaderChanges: pushBounded(state.leaderChanges, [change], LEADER_CHANGES_CAPACITY) })),
  forget: (nodeId) =>
    set((state) => {
      const seen = { ...state.seen };
      delete seen[nodeId];
      return { seen };
    }),
  reset: () => set({ seen: {}, leaderChanges: [] }),
}));
