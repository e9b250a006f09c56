import { formatClock, formatDuration } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { useActionsStore, type ActionRecord } from '../../stores/actions-store.js';
import { ACTION_WORDS } from './action-words.js';

function ActionLine({ record, now }: { record: ActionRecord; now: number }) {
  const words = ACTION_WORDS[record.action];
  const target = `${record.nodeId} on ${record.host}`;
  if (record.phase === 'started') {
    return (
      <li className="action action-started">
        <progress aria-label={`${words.doing} ${record.nodeId}`} />
        <span>
          {words.doing} {target}… <span className="muted">{formatDuration(now - record.startedAt)}</span>
        </span>
      </li>
    );
  }
  const took = record.finishedAt === null ? '' : ` in ${formatDuration(record.finishedAt - record.startedAt)}`;
  if (record.phase === 'succeeded') {
    return (
      <li className="action action-succeeded">
        <span className="action-icon" aria-hidden="true">✓</span>
        <span>
          {words.done} {target}
          {took}. <span className="muted">{formatClock(record.finishedAt)}</span>
        </span>
      </li>
    );
  }
  return (
    <li className="action action-failed">
      <span className="action-icon" aria-hidden="true">✕</span>
      <span>
        {words.verb} {target} failed{took}: {record.error?.message} <code className="error-id">{record.error?.id}</code>
        {record.error?.detail ? <span className="muted small"> {record.error.detail}</span> : null}
      </span>
    </li>
  );
}

/**
 * Node actions of this session, newest first: progress while in flight, the outcome after.
 * Announced politely to screen readers as they change.
 */
export function ActionProgress() {
  const now = useNow(500);
  const records = Object.values(useActionsStore((state) => state.byNode)).sort((a, b) => b.startedAt - a.startedAt);
  if (records.length === 0) return <p className="muted small">No action taken in this session yet. Actions from every session are in the audit log below.</p>;
  return (
    <ul className="actions-log" role="log" aria-live="polite" aria-label="Node actions">
      {records.slice(0, 6).map((record) => (
        <ActionLine key={`${record.host}/${record.nodeId}`} record={record} now={now} />
      ))}
    </ul>
  );
}
