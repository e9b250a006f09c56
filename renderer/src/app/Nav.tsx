import { useUiStore } from '../stores/ui-store.js';
import { VIEWS } from './views.js';

/** The list of views, each with its key; the current one is marked for assistive technology too. */
export function Nav() {
  const view = useUiStore((state) => state.view);
  const setView = useUiStore((state) => state.setView);
  const setHelpOpen = useUiStore((state) => state.setHelpOpen);
  return (
    <nav className="nav" aria-label="Views">
      <ul>
        {VIEWS.map((spec) => (
          <li key={spec.id}>
            <button type="button" className="nav-item" aria-current={spec.id === view ? 'page' : undefined} aria-keyshortcuts={spec.shortcut} onClick={() => setView(spec.id)}>
              <span>{spec.label}</span>
              <kbd aria-hidden="true">{spec.shortcut}</kbd>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="nav-help link" aria-keyshortcuts="?" onClick={() => setHelpOpen(true)}>
        Keyboard shortcuts <kbd aria-hidden="true">?</kbd>
      </button>
    </nav>
  );
}
