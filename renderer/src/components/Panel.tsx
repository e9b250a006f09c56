import type { ReactNode } from 'react';

/**
 * A titled section of a view; `actions` sit on the right of the title.
 * @example <Panel title="Audit log" actions={<button>Refresh</button>}>…</Panel>
 */
export function Panel({ title, actions, children, className }: { title: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={id}>
      <header className="panel-header">
        <h3 id={id}>{title}</h3>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/**
 * A view's title and one-line explanation of what it shows.
 * @example <ViewHeader title="Nodes" summary="Every node of the cluster…" />
 */
export function ViewHeader({ title, summary, children }: { title: string; summary: string; children?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h2>{title}</h2>
        <p className="muted">{summary}</p>
      </div>
      {children ? <div className="view-header-actions">{children}</div> : null}
    </header>
  );
}
