import { useAudit } from '../../api/queries/audit.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { formatDateTime, formatDuration } from '../../lib/format.js';

/** The audit log: every operator action on every node, newest first, with older pages on demand. */
export function AuditLog() {
  const audit = useAudit(50);
  if (audit.isPending) return <Loading label="Reading the audit log…" />;
  if (audit.error) return <ErrorState title="The audit log could not be read" error={audit.error} onRetry={() => void audit.refetch()} />;
  const entries = audit.data.pages.flatMap((page) => page.entries);
  const skipped = audit.data.pages.reduce((sum, page) => sum + page.skipped, 0);
  if (entries.length === 0) return <EmptyState title="No action recorded yet">Start, drain, kill or restart a node: each lands here with its outcome.</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="table compact" aria-label="Audit log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Profile</th>
              <th scope="col">Host</th>
              <th scope="col">Node</th>
              <th scope="col">Action</th>
              <th scope="col">Result</th>
              <th scope="col">Took</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, i) => (
              <tr key={`${entry.ts}-${i}`}>
                <td className="nowrap">{formatDateTime(entry.ts)}</td>
                <td>{entry.profile}</td>
                <td>{entry.host}</td>
                <td>{entry.node ?? '—'}</td>
                <td>{entry.action}</td>
                <td>
                  <StatusBadge tone={entry.result === 'ok' ? 'ok' : 'bad'}>{entry.result}</StatusBadge>
                </td>
                <td className="num">{formatDuration(entry.durationMs)}</td>
                <td className="muted small">{entry.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {skipped > 0 ? <p className="muted small">{skipped} unreadable line(s) skipped.</p> : null}
      {audit.hasNextPage ? (
        <button type="button" onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {audit.isFetchingNextPage ? 'Loading…' : 'Older entries'}
        </button>
      ) : null}
    </>
  );
}
