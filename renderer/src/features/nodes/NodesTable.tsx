import { StatusBadge } from '../../components/StatusBadge.js';
import { formatCount, formatDuration, formatLatency, formatRate, MISSING } from '../../lib/format.js';
import { NodeActions } from './NodeActions.js';
import { DOWN_STATES, type NodeRow } from './node-rows.js';
import { STATE_MEANING, STATE_TONE } from './row-state.js';

/** Column headings; a short one carries its full name. */
const COLUMNS: ReadonlyArray<{ label: string; full?: string }> = [
  { label: 'Node · host' },
  { label: 'State' },
  { label: 'Version' },
  { label: 'Config hash · schema', full: 'Configuration hash and schema version' },
  { label: 'Heartbeat', full: 'Age of the last heartbeat' },
  { label: 'Uptime' },
  { label: 'Conns', full: 'WebSocket connections' },
  { label: 'Users', full: 'Users with a socket on the node' },
  { label: 'Events/s', full: 'Events the node published per second' },
  { label: 'p99 in', full: 'Worst p99 of events reaching this node' },
  { label: 'p99 out', full: 'Worst p99 of this node’s events reaching others' },
  { label: 'Actions' },
];

function Mismatch({ value, mismatch, what }: { value: string | undefined; mismatch: boolean; what: string }) {
  if (value === undefined) return <div>{MISSING}</div>;
  return (
    <div className={mismatch ? 'mismatch' : undefined} title={mismatch ? `This node's ${what} differs from the other nodes': ${value}` : `${what}: ${value}`}>
      <code className="truncate">{value}</code>
      {mismatch ? <StatusBadge tone="warn">differs</StatusBadge> : null}
    </div>
  );
}

function Row({ row, now, leaderEpoch, onLogs }: { row: NodeRow; now: number; leaderEpoch: number | null; onLogs: (row: NodeRow) => void }) {
  const up = !DOWN_STATES.includes(row.state);
  const entry = row.entry;
  return (
    <tr aria-label={`Node ${row.id}`} data-state={row.state} className={up ? undefined : 'row-down'}>
      <th scope="row">
        {row.id}
        {row.isLeader ? (
          <span className="leader-tag" title={`Holds the leader lease, epoch ${leaderEpoch}`}>
            ★ leader
          </span>
        ) : null}
        <div className="muted small">{[row.host ?? 'no profile host', row.machine && row.machine !== row.host ? row.machine : null].filter(Boolean).join(' · ')}</div>
      </th>
      <td>
        <StatusBadge tone={STATE_TONE[row.state]} title={STATE_MEANING[row.state]}>
          {row.state}
        </StatusBadge>
      </td>
      <td>
        <span className="truncate" title={entry?.version}>
          {entry?.version ?? MISSING}
        </span>
      </td>
      <td className="small">
        <Mismatch value={entry?.configHash} mismatch={row.configMismatch} what="configuration hash" />
        <Mismatch value={entry?.schemaVersion} mismatch={row.schemaMismatch} what="schema version" />
      </td>
      <td className="num">{row.heartbeatAgeMs === null ? MISSING : `${formatDuration(row.heartbeatAgeMs)} ago`}</td>
      <td className="num">{up && entry ? formatDuration(now - entry.startedAt) : MISSING}</td>
      <td className="num">{up && entry ? formatCount(entry.connections) : MISSING}</td>
      <td className="num">{up && entry ? formatCount(entry.usersOnline) : MISSING}</td>
      <td className="num">{formatRate(row.eventsPerSecond)}</td>
      <td className="num">{formatLatency(row.p99In)}</td>
      <td className="num">{formatLatency(row.p99Out)}</td>
      <td>
        <NodeActions row={row} leaderEpoch={leaderEpoch} onLogs={() => onLogs(row)} />
      </td>
    </tr>
  );
}

/** Every node with its state, identity, health and figures, and its actions. */
export function NodesTable({ rows, now, leaderEpoch, onLogs }: { rows: readonly NodeRow[]; now: number; leaderEpoch: number | null; onLogs: (row: NodeRow) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Nodes">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.label} scope="col" title={column.full}>
                {column.full ? <abbr title={column.full}>{column.label}</abbr> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Row key={row.id} row={row} now={now} leaderEpoch={leaderEpoch} onLogs={onLogs} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
