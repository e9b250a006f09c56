import type { ClusterSnapshot } from '@switchboard/shared';
import { Stat } from '../../components/Stat.js';
import { formatCount, formatLatency, formatRate } from '../../lib/format.js';
import { latencyLevel, worstP99, type LatencyPair } from '../../lib/latency.js';
import { DOWN_STATES, type NodeRow } from '../nodes/node-rows.js';

/** The figures an operator looks at first: nodes up, users online, posts per second, cross-node p99. */
export function Headline({ snapshot, rows, pairs }: { snapshot: ClusterSnapshot; rows: readonly NodeRow[]; pairs: readonly LatencyPair[] }) {
  const up = rows.filter((row) => !DOWN_STATES.includes(row.state)).length;
  const p99 = worstP99(pairs);
  const level = p99 === null ? undefined : latencyLevel(p99);
  return (
    <div className="stats" aria-label="Headline figures">
      <Stat label="Nodes up" value={`${up} / ${rows.length}`} tone={up < rows.length ? 'warn' : 'ok'} />
      <Stat label="Users online" value={formatCount(snapshot.presence.usersOnline)} note={`${formatCount(snapshot.presence.connections)} connections`} />
      <Stat label="Posts per second" value={formatRate(snapshot.eventRates.perKind.posted ?? 0)} note={`${formatRate(snapshot.eventRates.total)} events in all`} />
      <Stat label="Cross-node p99" value={formatLatency(p99)} note="worst origin→receiver pair, latest window" tone={level === 'alert' ? 'bad' : level} />
    </div>
  );
}
