import type { ReactNode } from 'react';

/**
 * A headline figure: a label over a big value, with an optional note under it.
 * @example <Stat label="Users online" value="1,204" />
 */
export function Stat({ label, value, note, tone }: { label: string; value: ReactNode; note?: ReactNode; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`} role="group" aria-label={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {note ? <div className="stat-note muted">{note}</div> : null}
    </div>
  );
}
