import { useSnapshot } from '../../api/queries/cluster.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { ErrorState, Loading } from '../../components/States.js';
import { useRecentPairs } from '../../api/queries/series.js';
import { latencyMatrix } from '../../lib/latency.js';
import { useNow } from '../../lib/use-now.js';
import { LatencyMatrix } from './LatencyMatrix.js';
import { AllPairsChart, PairChart } from './PairCharts.js';
import { ProbePanel } from './ProbePanel.js';

/** Latency: how long events take from one node to another, and a post end to end. */
export default function LatencyView() {
  const snapshot = useSnapshot();
  const pairs = useRecentPairs(useNow(1_000));
  const header = <ViewHeader title="Latency" summary="Propagation from the node that published an event to each node that received it (clocks corrected to Redis), and the end-to-end probe." />;
  if (snapshot.isPending) return <>{header}<Loading label="Reading latency figures…" /></>;
  if (snapshot.error) return <>{header}<ErrorState title="Latency figures could not be read" error={snapshot.error} onRetry={() => void snapshot.refetch()} /></>;
  const matrix = latencyMatrix(pairs, snapshot.data.nodes.map((node) => node.id));
  return (
    <>
      {header}
      <div className="grid-2">
        <Panel title="Node × node p99">
          <LatencyMatrix matrix={matrix} />
        </Panel>
        <Panel title="p99 of every pair">
          <AllPairsChart />
        </Panel>
      </div>
      <Panel title="One pair: p50, p90, p99">
        <PairChart />
      </Panel>
      <Panel title="End-to-end probe">
        <ProbePanel />
      </Panel>
    </>
  );
}
