import { useSnapshot } from '../../api/queries/cluster.js';
import { usePostgresHealth } from '../../api/queries/postgres.js';
import { useProfile, useProfiles } from '../../api/queries/profiles.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { ErrorState, Loading } from '../../components/States.js';
import { deriveAlerts } from '../../lib/alerts.js';
import { useRecentPairs } from '../../api/queries/series.js';
import { useNow } from '../../lib/use-now.js';
import { useNodeRows } from '../nodes/use-node-rows.js';
import { AlertList } from './AlertList.js';
import { Headline } from './Headline.js';
import { Topology } from './Topology.js';

/** Overview: the topology with health everywhere, the headline figures, and what needs attention. */
export default function OverviewView() {
  const now = useNow(1_000);
  const snapshotQuery = useSnapshot();
  const { data: postgres } = usePostgresHealth();
  const { data: profiles } = useProfiles();
  const { data: profile } = useProfile(profiles?.selected ?? null);
  const rows = useNodeRows(now);
  const pairs = useRecentPairs(now);
  const header = <ViewHeader title="Overview" summary="The whole cluster at a glance: what runs, who leads, how it performs, and what needs attention." />;
  if (snapshotQuery.isPending) return <>{header}<Loading label="Reading the cluster…" /></>;
  if (snapshotQuery.error) return <>{header}<ErrorState title="The cluster could not be read" error={snapshotQuery.error} onRetry={() => void snapshotQuery.refetch()} /></>;
  const snapshot = snapshotQuery.data;
  const alerts = deriveAlerts({ snapshot, postgres, rows, pairs, now });
  return (
    <>
      {header}
      <Headline snapshot={snapshot} rows={rows} pairs={pairs} />
      <div className="grid-overview">
        <Panel title="Topology">
          <Topology snapshot={snapshot} rows={rows} postgres={postgres} apiUrl={profile?.profile.apiUrl} now={now} />
        </Panel>
        <Panel title="Alerts">
          <AlertList alerts={alerts} />
        </Panel>
      </div>
    </>
  );
}
