import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The console's views, in navigation order (their position is their keyboard shortcut). */
export const VIEW_IDS = ['overview', 'nodes', 'presence', 'leadership', 'latency', 'events', 'profiles', 'drills'] as const;

/** One of {@link VIEW_IDS}. */
export type ViewId = (typeof VIEW_IDS)[number];

/** Light or dark; `system` follows the operating system. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** UI state: which view, which theme, which panels are open. Remembered across reloads. */
export interface UiState {
  view: ViewId;
  theme: ThemeChoice;
  /** The keyboard shortcut help is open. */
  helpOpen: boolean;
  setView(view: ViewId): void;
  setTheme(theme: ThemeChoice): void;
  setHelpOpen(open: boolean): void;
}

/** Whether a string names a view. */
export function isViewId(value: unknown): value is ViewId {
  return typeof value === 'string' && (VIEW_IDS as readonly string[]).includes(value);
}

/** UI state of this window. */
export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      view: 'overview',
      theme: 'system',
      helpOpen: false,
      setView: (view) => set({ view }),
      setTheme: (theme) => set({ theme }),
      setHelpOpen: (helpOpen) => set({ helpOpen }),
    }),
    {
      name: 'switchboard.ui',
      storage: createJSONStorage(() => window.localStorage),
      partialize: (state) => ({ view: state.view, theme: state.theme }),
    },
  ),
);
