import { useEffect } from 'react';
import { useUiStore } from '../stores/ui-store.js';
import { VIEWS } from './views.js';

/** Whether a key press belongs to a field the operator is typing in. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The theme the `t` key switches to from what is showing now. */
function nextTheme(): 'light' | 'dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
}

/**
 * The console's keyboard shortcuts: 1–8 open the views, `t` switches the theme, `?` shows the
 * list. Keys typed into fields, with a modifier, or while a dialog is open are left alone.
 * @example function App() { useShortcuts(); … }
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event.target)) return;
      const ui = useUiStore.getState();
      if (event.key === '?') {
        ui.setHelpOpen(!ui.helpOpen);
        event.preventDefault();
        return;
      }
      if (document.querySelector('dialog[open]')) return;
      const view = VIEWS.find((spec) => spec.shortcut === event.key);
      if (view) ui.setView(view.id);
      else if (event.key === 't') ui.setTheme(nextTheme());
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
