import type { ReactNode } from 'react';

/** How a status reads at a glance. */
export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

/**
 * A small pill with a status word; the colour repeats the word, never replaces it.
 * @example <StatusBadge tone="bad">gone</StatusBadge>
 */
export function StatusBadge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
