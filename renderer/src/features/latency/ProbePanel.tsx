import { useEffect, useState } from 'react';
import { useRunProbe, useSnapshot } from '../../api/queries/cluster.js';
import { useProbeSeries } from '../../api/queries/series.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { describeError } from '../../components/States.js';
import { TimeChart } from '../../components/TimeChart.js';
import { formatClock, formatLatency } from '../../lib/format.js';

/** How often the probe runs while auto is on, ms. @default 5000 */
export const AUTO_PROBE_MS = 5_000;

/**
 * The end-to-end probe: a post through the balancer (or a node), timed until a client on each
 * node sees it. Run it once or every few seconds; each run adds a point per node.
 */
export function ProbePanel() {
  const probe = useRunProbe();
  const { data: last } = useSnapshot((snapshot) => snapshot.probe);
  const series = useProbeSeries();
  const [auto, setAuto] = useState(false);
  const { mutate, isPending } = probe;
  useEffect(() => {
    if (!auto) return;
    mutate({});
    const timer = window.setInterval(() => mutate({}), AUTO_PROBE_MS);
    return () => window.clearInterval(timer);
  }, [auto, mutate]);
  const nodes = [...new Set(series.flatMap((sample) => Object.keys(sample.nodes)))].sort();
  const rows = series.map((sample) => ({ t: sample.t, post: sample.postMs, ...Object.fromEntries(nodes.map((node) => [node, sample.nodes[node] ?? null])) }));
  return (
    <>
      <div className="toolbar">
        <button type="button" onClick={() => mutate({})} disabled={isPending}>
          {isPending ? 'Probing…' : 'Run probe'}
        </button>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.target.checked)} /> every {AUTO_PROBE_MS / 1_000} s
        </label>
        {last ? (
          <span role="status">
            Last probe {formatClock(last.at)} via {last.via}: <StatusBadge tone={last.ok ? 'ok' : 'bad'}>{last.ok ? 'seen everywhere' : 'failed'}</StatusBadge>{' '}
            {last.error ?? last.nodes.map((node) => `${node.nodeId} ${node.latencyMs === null ? (node.error ?? 'not seen') : formatLatency(node.latencyMs)}`).join(' · ')}
          </span>
        ) : (
          <span className="muted">No probe has run yet.</span>
        )}
      </div>
      {probe.error ? (
        <p className="alert alert-warning" role="alert">
          The probe could not run: {describeError(probe.error).message} <span className="muted small">{describeError(probe.error).detail}</span>
        </p>
      ) : null}
      <TimeChart label="End-to-end probe, ms until each node saw the post" data={rows} lines={[{ key: 'post', name: 'post (HTTP)', dashed: true }, ...nodes.map((node) => ({ key: node, name: node }))]} formatValue={formatLatency} emptyTitle="No probe chart yet" emptyHint="Run the probe twice or turn on the automatic probe." />
    </>
  );
}
