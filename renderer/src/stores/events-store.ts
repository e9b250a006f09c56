import type { ObservedEvent } from '@switchboard/shared';
import { create } from 'zustand';
import { pushBounded } from '../lib/bounded.js';
import { countKinds, mergeEvents } from '../lib/events.js';

/** Events the live stream keeps in memory. @default 5000 */
export const EVENTS_CAPACITY = 5_000;

/**
 * The live event stream: a bounded ring of bus events (oldest first), counts per kind since the
 * last clear, and the pause switch. While paused the view shows a frozen copy and the ring keeps
 * filling, so nothing is lost when the operator resumes.
 */
export interface EventsState {
  events: ObservedEvent[];
  /** Per kind, since the last clear. */
  counts: Record<string, number>;
  /** Events the observer dropped past its cap since the last clear (counted, not carried). */
  dropped: number;
  /** The list shown while paused; null when live. */
  frozen: ObservedEvent[] | null;
  /** Appends live events from a delta. */
  append(events: readonly ObservedEvent[], dropped: number): void;
  /** Adds history read with cluster.recentEvents (duplicates ignored). */
  seed(events: readonly ObservedEvent[]): void;
  setPaused(paused: boolean): void;
  clear(): void;
}

function add(state: EventsState, incoming: readonly ObservedEvent[]): Pick<EventsState, 'events' | 'counts'> {
  const merged = mergeEvents(state.events, incoming);
  const added = merged.length - state.events.length;
  if (added === 0) return { events: state.events, counts: state.counts };
  const fresh = merged.slice(merged.length - added);
  return { events: pushBounded([], merged, EVENTS_CAPACITY), counts: countKinds(state.counts, fresh) };
}

/** The live event stream of the watched cluster. */
export const useEventsStore = create<EventsState>()((set) => ({
  events: [],
  counts: {},
  dropped: 0,
  frozen: null,
  append: (events, dropped) => set((state) => ({ ...add(state, events), dropped: state.dropped + dropped })),
  seed: (events) => set((state) => add(state, events)),
  setPaused: (paused) => set((state) => ({ frozen: paused ? state.events : null })),
  clear: () => set((state) => ({ events: [], counts: {}, dropped: 0, frozen: state.frozen ? [] : null })),
}));
