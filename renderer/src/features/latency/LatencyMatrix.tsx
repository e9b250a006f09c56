import { EmptyState } from '../../components/States.js';
import { formatLatency } from '../../lib/format.js';
import { LATENCY_ALERT_P99_MS, LATENCY_WARN_P99_MS, latencyLevel, type LatencyMatrix as Matrix } from '../../lib/latency.js';

/**
 * The node×node matrix: a row per origin, a column per receiver, each cell the pair's p99 over
 * its latest window, coloured by level (the figure is always written; colour only repeats it).
 */
export function LatencyMatrix({ matrix }: { matrix: Matrix }) {
  if (matrix.nodes.length === 0) return <EmptyState title="No latency figures yet">Nodes publish them every second once events cross the bus.</EmptyState>;
  return (
    <div className="table-wrap">
      <table className="table matrix" aria-label="Latency matrix, p99 by origin and receiver">
        <thead>
          <tr>
            <th scope="col">origin ↓ / receiver →</th>
            {matrix.nodes.map((node) => (
              <th key={node} scope="col">
                {node}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.nodes.map((origin) => (
            <tr key={origin}>
              <th scope="row">{origin}</th>
              {matrix.nodes.map((receiver) => {
                const cell = origin === receiver ? null : matrix.cell(origin, receiver);
                const label = `${origin} to ${receiver}`;
                if (origin === receiver) return <td key={receiver} className="matrix-self" aria-label={`${label}: same node`} />;
                if (!cell) return <td key={receiver} className="matrix-empty" aria-label={`${label}: no figures`}>—</td>;
                return (
                  <td key={receiver} className={`matrix-cell matrix-${latencyLevel(cell.p99)}`} aria-label={`${label}: p99 ${formatLatency(cell.p99)}`} title={`p50 ${formatLatency(cell.p50)} · p90 ${formatLatency(cell.p90)} · p99 ${formatLatency(cell.p99)} · ${cell.count} events`}>
                    {formatLatency(cell.p99)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Green up to {LATENCY_WARN_P99_MS} ms, amber up to {LATENCY_ALERT_P99_MS} ms, red above: p99 of each pair's latest one-second window, kept for 30 s while the pair is quiet.
      </p>
    </div>
  );
}
