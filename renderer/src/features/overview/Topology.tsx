import type { ClusterSnapshot, PostgresHealth } from '@switchboard/shared';
import { StatusBadge, type Tone } from '../../components/StatusBadge.js';
import { formatDuration, plural } from '../../lib/format.js';
import type { NodeRow } from '../nodes/node-rows.js';
import { STATE_MEANING, STATE_TONE } from '../nodes/row-state.js';

/** One box of the diagram: a component, its health in a word, and a line of detail. */
function Box({ kind, name, tone, status, detail }: { kind: string; name: string; tone: Tone; status: string; detail?: string }) {
  return (
    <div className={`topo-box topo-${tone}`} role="group" aria-label={`${kind} ${status}`}>
      <div className="topo-kind">{kind}</div>
      <div className="topo-name">{name}</div>
      <StatusBadge tone={tone}>{status}</StatusBadge>
      {detail ? <div className="topo-detail muted">{detail}</div> : null}
    </div>
  );
}

function balancer(snapshot: ClusterSnapshot, apiUrl: string | undefined): { tone: Tone; status: string; detail: string } {
  if (!apiUrl) return { tone: 'muted', status: 'not configured', detail: 'The profile names no apiUrl; clients reach nodes directly.' };
  const probe = snapshot.probe;
  if (!probe || probe.via !== apiUrl) return { tone: 'muted', status: 'unknown', detail: 'Run the end-to-end probe (Latency) to check it.' };
  return probe.postMs !== null ? { tone: 'ok', status: 'answering', detail: `Last probe posted through it in ${Math.round(probe.postMs)} ms.` } : { tone: 'bad', status: 'failing', detail: probe.error ?? 'The last probe could not post through it.' };
}

function NodeBox({ row, snapshot, now }: { row: NodeRow; snapshot: ClusterSnapshot; now: number }) {
  const leader = row.isLeader ? snapshot.leader : null;
  return (
    <li className={`topo-box topo-node topo-${STATE_TONE[row.state]} ${leader ? 'topo-leader' : ''}`} aria-label={`Node ${row.id} ${row.state}${leader ? ', leader' : ''}`}>
      <div className="topo-kind">Node</div>
      <div className="topo-name">{row.id}</div>
      <StatusBadge tone={STATE_TONE[row.state]} title={STATE_MEANING[row.state]}>
        {row.state}
      </StatusBadge>
      {leader ? (
        <div className="leader-mark">
          ★ Leader · epoch {leader.epoch} · term {leader.since === null ? 'unknown' : formatDuration(now - leader.since)}
        </div>
      ) : null}
      <div className="topo-detail muted">{row.entry ? `${plural(row.entry.usersOnline, 'user')} · ${plural(row.entry.connections, 'connection')}` : 'no registry entry'}</div>
    </li>
  );
}

/**
 * The cluster as a diagram: the balancer over the nodes over Redis and Postgres, each with its
 * health; the leader carries its epoch and term length.
 */
export function Topology({ snapshot, rows, postgres, apiUrl, now }: { snapshot: ClusterSnapshot; rows: readonly NodeRow[]; postgres: PostgresHealth | undefined; apiUrl: string | undefined; now: number }) {
  const lb = balancer(snapshot, apiUrl);
  const redisOk = snapshot.redis === 'ok';
  const pgStatus = postgres === undefined ? { tone: 'muted' as Tone, status: 'checking' } : postgres.reachable ? { tone: 'ok' as Tone, status: 'reachable' } : { tone: 'bad' as Tone, status: 'unreachable' };
  return (
    <div className="topology" aria-label="Topology">
      <div className="topo-tier">
        <Box kind="Load balancer" name={apiUrl ?? '—'} {...lb} />
      </div>
      <div className="topo-link" aria-hidden="true" />
      {rows.length === 0 ? (
        <p className="muted topo-tier">No node has registered in Redis yet.</p>
      ) : (
        <ul className="topo-tier topo-nodes" aria-label="Nodes">
          {rows.map((row) => (
            <NodeBox key={row.id} row={row} snapshot={snapshot} now={now} />
          ))}
        </ul>
      )}
      <div className="topo-link" aria-hidden="true" />
      <div className="topo-tier">
        <Box kind="Redis" name="bus · registry · presence" tone={redisOk ? 'ok' : 'bad'} status={redisOk ? 'reachable' : 'unreachable'} detail={redisOk ? undefined : `Last read ${snapshot.asOf === null ? 'never' : `${formatDuration(now - snapshot.asOf)} ago`}`} />
        <Box kind="Postgres" name={postgres?.reachable ? `${postgres.version.split(' ')[0]} · ${postgres.role}` : 'source of truth'} tone={pgStatus.tone} status={pgStatus.status} detail={postgres && !postgres.reachable ? postgres.error.message : postgres?.reachable ? `${postgres.connections.total} / ${postgres.connections.max} connections` : undefined} />
      </div>
    </div>
  );
}
