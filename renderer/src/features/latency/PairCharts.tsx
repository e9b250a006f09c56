import { useState } from 'react';
import { useLatencySeries, usePairsChartRows } from '../../api/queries/series.js';
import { TimeChart } from '../../components/TimeChart.js';
import { formatLatency } from '../../lib/format.js';

/** p99 of every pair on one chart. */
export function AllPairsChart() {
  const { rows, pairs } = usePairsChartRows('p99');
  return <TimeChart label="p99 of every origin→receiver pair" data={rows} lines={pairs.map((pair) => ({ key: pair, name: pair }))} formatValue={formatLatency} connectNulls emptyHint="Points appear as nodes publish their per-second figures." />;
}

/** p50, p90 and p99 of the pair the operator picks. */
export function PairChart() {
  const latency = useLatencySeries();
  const pairs = Object.keys(latency).sort();
  const [chosen, setChosen] = useState<string | null>(null);
  const pair = chosen !== null && pairs.includes(chosen) ? chosen : pairs[0];
  return (
    <>
      <label className="field inline">
        <span>Pair</span>
        <select value={pair ?? ''} onChange={(event) => setChosen(event.target.value)} disabled={pairs.length === 0}>
          {pairs.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
      </label>
      <TimeChart
        label={`Latency of ${pair ?? 'no pair'}`}
        data={pair ? (latency[pair] ?? []) : []}
        lines={[
          { key: 'p50', name: 'p50' },
          { key: 'p90', name: 'p90' },
          { key: 'p99', name: 'p99' },
        ]}
        formatValue={formatLatency}
        emptyHint="Pick a pair once figures arrive."
      />
    </>
  );
}
