import type { ClusterSnapshot, PostgresHealth } from '@switchboard/shared';
import { DOWN_STATES, type NodeRow } from '../features/nodes/node-rows.js';
import { formatDuration, formatLatency } from './format.js';
import { LATENCY_ALERT_P99_MS, type LatencyPair } from './latency.js';

/**
 * What needs the operator's attention, worst first: Redis or Postgres unreachable, no leader,
 * nodes missing, latency past the threshold, nodes that disagree on config or schema.
 */

/** How bad an alert is. */
export type AlertLevel = 'critical' | 'warning';

/** One alert. */
export interface Alert {
  /** Stable across renders (list keys, tests). */
  id: string;
  level: AlertLevel;
  title: string;
  detail: string;
}

/** What the alerts are derived from. */
export interface AlertSources {
  snapshot: ClusterSnapshot;
  postgres: PostgresHealth | undefined;
  rows: readonly NodeRow[];
  pairs: readonly LatencyPair[];
  now: number;
}

function infrastructure({ snapshot, postgres, now }: AlertSources): Alert[] {
  const alerts: Alert[] = [];
  if (snapshot.redis === 'unreachable') {
    const age = snapshot.asOf === null ? 'never read' : `last read ${formatDuration(now - snapshot.asOf)} ago`;
    alerts.push({ id: 'redis', level: 'critical', title: 'Redis is unreachable', detail: `Figures are frozen (${age}); the console reconnects by itself.` });
  }
  if (postgres && !postgres.reachable) alerts.push({ id: 'postgres', level: 'critical', title: 'Postgres is unreachable', detail: postgres.error.message });
  if (snapshot.redis === 'ok' && snapshot.leader === null && snapshot.nodes.length > 0) {
    alerts.push({ id: 'leader', level: 'critical', title: 'No leader', detail: 'No node holds the leader lease: singleton jobs (presence reaping, cleanup) are not running.' });
  }
  return alerts;
}

function nodes({ rows }: AlertSources): Alert[] {
  const alerts: Alert[] = [];
  for (const row of rows) {
    if (row.state === 'gone') alerts.push({ id: `node-gone-${row.id}`, level: 'warning', title: `Node ${row.id} is missing`, detail: `No heartbeat for ${formatDuration(row.heartbeatAgeMs)}.` });
    if (row.state === 'stale') alerts.push({ id: `node-stale-${row.id}`, level: 'warning', title: `Node ${row.id} is late`, detail: `Last heartbeat ${formatDuration(row.heartbeatAgeMs)} ago.` });
    if (row.state === 'unreachable') alerts.push({ id: `node-host-${row.id}`, level: 'warning', title: `Host of node ${row.id} is unreachable`, detail: 'nodectl could not be asked about it.' });
  }
  const mismatched = rows.filter((row) => !DOWN_STATES.includes(row.state) && (row.configMismatch || row.schemaMismatch)).map((row) => row.id);
  if (mismatched.length > 0) alerts.push({ id: 'config', level: 'warning', title: 'Nodes disagree on configuration', detail: `${mismatched.join(', ')} differ from the others in config hash or schema version.` });
  return alerts;
}

function latency({ pairs }: AlertSources): Alert[] {
  const slow = pairs.filter((pair) => pair.p99 > LATENCY_ALERT_P99_MS);
  if (slow.length === 0) return [];
  const worst = slow.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  return [{ id: 'latency', level: 'warning', title: 'Latency above threshold', detail: `${slow.length} pair(s) over ${LATENCY_ALERT_P99_MS} ms p99; worst ${worst.origin}→${worst.receiver} at ${formatLatency(worst.p99)}.` }];
}

/**
 * Every current alert, critical first.
 * @example deriveAlerts({ snapshot, postgres, rows, pairs, now: Date.now() }).filter((a) => a.level === 'critical')
 */
export function deriveAlerts(sources: AlertSources): Alert[] {
  return [...infrastructure(sources), ...nodes(sources), ...latency(sources)];
}
