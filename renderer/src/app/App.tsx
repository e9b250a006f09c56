import { Suspense } from 'react';
import { useLiveUpdates } from '../api/live.js';
import { Loading } from '../components/States.js';
import { useUiStore } from '../stores/ui-store.js';
import { Banners } from './Banners.js';
import { Nav } from './Nav.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { useShortcuts } from './shortcuts.js';
import { useTheme } from './theme.js';
import { TopBar } from './TopBar.js';
import { VIEWS } from './views.js';

/**
 * The console: a top bar (cluster, link state, theme), the views' navigation, the banners of
 * whatever is broken underneath, and the current view.
 */
export function App() {
  useLiveUpdates();
  useShortcuts();
  useTheme();
  const view = useUiStore((state) => state.view);
  const spec = VIEWS.find((candidate) => candidate.id === view) ?? VIEWS[0]!;
  const View = spec.component;
  return (
    <div className="app">
      <TopBar />
      <Nav />
      <main className="main" id="main">
        <Banners />
        <Suspense fallback={<Loading label={`Opening ${spec.label}…`} />}>
          <View />
        </Suspense>
      </main>
      <ShortcutHelp />
    </div>
  );
}
