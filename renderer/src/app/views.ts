import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ViewId } from '../stores/ui-store.js';

/** One view of the console: its name, the key that opens it, what it shows. */
export interface ViewSpec {
  id: ViewId;
  label: string;
  /** The key that opens it (its position, 1–8). */
  shortcut: string;
  component: LazyExoticComponent<ComponentType>;
}

/** The views, in navigation order. */
export const VIEWS: readonly ViewSpec[] = [
  { id: 'overview', label: 'Overview', shortcut: '1', component: lazy(() => import('../features/overview/OverviewView.js')) },
  { id: 'nodes', label: 'Nodes', shortcut: '2', component: lazy(() => import('../features/nodes/NodesView.js')) },
  { id: 'presence', label: 'Presence', shortcut: '3', component: lazy(() => import('../features/presence/PresenceView.js')) },
  { id: 'leadership', label: 'Leadership', shortcut: '4', component: lazy(() => import('../features/leadership/LeadershipView.js')) },
  { id: 'latency', label: 'Latency', shortcut: '5', component: lazy(() => import('../features/latency/LatencyView.js')) },
  { id: 'events', label: 'Events', shortcut: '6', component: lazy(() => import('../features/events/EventsView.js')) },
  { id: 'profiles', label: 'Profiles', shortcut: '7', component: lazy(() => import('../features/profiles/ProfilesView.js')) },
  { id: 'drills', label: 'Drills', shortcut: '8', component: lazy(() => import('../features/drills/DrillsView.js')) },
];

/** Keys besides the view numbers. */
export const OTHER_SHORTCUTS: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: 't', what: 'Switch between light and dark theme' },
  { keys: '?', what: 'Show or hide this list' },
  { keys: 'Esc', what: 'Close a dialog' },
];
