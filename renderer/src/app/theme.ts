import { useEffect } from 'react';
import { useUiStore } from '../stores/ui-store.js';

/**
 * Applies the chosen theme as `data-theme` on the document (the stylesheet's variables follow),
 * following the operating system's preference while the choice is `system`.
 */
export function useTheme(): void {
  const theme = useUiStore((state) => state.theme);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
