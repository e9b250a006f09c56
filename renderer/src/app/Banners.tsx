import { useSnapshot } from '../api/queries/cluster.js';
import { usePostgresHealth } from '../api/queries/postgres.js';
import { formatClock, formatDuration } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';
import { useConnectionStore } from '../stores/connection-store.js';

/**
 * What is broken underneath every view: the link to the console, Redis, Postgres. A banner says
 * so and the view below keeps its last figures instead of going blank; each banner leaves by
 * itself when the thing recovers.
 */
export function Banners() {
  const now = useNow(1_000);
  const connection = useConnectionStore((state) => state.status);
  const connectionSince = useConnectionStore((state) => state.since);
  const { data: snapshot } = useSnapshot();
  const { data: postgres } = usePostgresHealth();
  return (
    <div className="banners">
      {connection === 'lost' ? (
        <div className="banner banner-bad" role="alert">
          <strong>Connection to the console lost</strong> {formatDuration(now - connectionSince)} ago; reconnecting. Figures below are frozen.
        </div>
      ) : null}
      {connection === 'closed' ? (
        <div className="banner banner-bad" role="alert">
          <strong>The console closed this connection.</strong> Open the address it printed again (each address works once).
        </div>
      ) : null}
      {snapshot?.redis === 'unreachable' ? (
        <div className="banner banner-bad" role="alert" aria-label="Redis unreachable">
          <strong>Redis is unreachable.</strong> Live figures are frozen{snapshot.asOf === null ? '' : ` as of ${formatClock(snapshot.asOf)} (${formatDuration(now - snapshot.asOf)} ago)`}. The console keeps retrying and recovers by itself.
        </div>
      ) : null}
      {postgres && !postgres.reachable ? (
        <div className="banner banner-bad" role="alert" aria-label="Postgres unreachable">
          <strong>Postgres is unreachable.</strong> Database health and usernames wait for it; the live cluster view goes on. The console keeps checking.{' '}
          <span className="small">
            {postgres.error.detail || postgres.error.message} ({postgres.error.id})
          </span>
        </div>
      ) : null}
    </div>
  );
}
