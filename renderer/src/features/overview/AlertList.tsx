import type { Alert } from '../../lib/alerts.js';

/** The current alerts, critical first, or a calm line saying there are none. */
export function AlertList({ alerts }: { alerts: readonly Alert[] }) {
  if (alerts.length === 0) {
    return (
      <p className="all-clear" role="status">
        All clear: every node heartbeats, a leader holds the lease, Redis and Postgres answer.
      </p>
    );
  }
  return (
    <ul className="alerts" aria-label="Alerts">
      {alerts.map((alert) => (
        <li key={alert.id} className={`alert alert-${alert.level}`}>
          <span className="alert-level">{alert.level === 'critical' ? 'Critical' : 'Warning'}</span>
          <strong>{alert.title}</strong>
          <span className="muted">{alert.detail}</span>
        </li>
      ))}
    </ul>
  );
}
