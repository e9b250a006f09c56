import { useSnapshot } from '../../api/queries/cluster.js';
import { usePresenceSeries } from '../../api/queries/series.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { Stat } from '../../components/Stat.js';
import { ErrorState, Loading } from '../../components/States.js';
import { TimeChart } from '../../components/TimeChart.js';
import { formatCount } from '../../lib/format.js';
import { NodeDistribution } from './NodeDistribution.js';
import { UserList } from './UserList.js';

/** Presence: who is online, how that moved, where they are connected. */
export default function PresenceView() {
  const snapshot = useSnapshot();
  const series = usePresenceSeries();
  const header = <ViewHeader title="Presence" summary="Users with a WebSocket open on any node: the count over time, how they spread over nodes, and who they are." />;
  if (snapshot.isPending) return <>{header}<Loading label="Reading presence…" /></>;
  if (snapshot.error) return <>{header}<ErrorState title="Presence could not be read" error={snapshot.error} onRetry={() => void snapshot.refetch()} /></>;
  const presence = snapshot.data.presence;
  return (
    <>
      {header}
      <div className="stats">
        <Stat label="Users online" value={formatCount(presence.usersOnline)} />
        <Stat label="Connections" value={formatCount(presence.connections)} />
        <Stat label="Nodes holding users" value={formatCount(presence.perNode.filter((node) => node.users > 0).length)} />
      </div>
      <div className="grid-2">
        <Panel title="Users online over time">
          <TimeChart label="Users online over time" data={series} lines={[{ key: 'users', name: 'Users' }, { key: 'connections', name: 'Connections', dashed: true }]} formatValue={(v) => formatCount(v)} integer emptyHint="A point is added every second." />
        </Panel>
        <Panel title="Distribution per node">
          <NodeDistribution presence={presence} />
        </Panel>
      </div>
      <Panel title="Online users">
        <UserList />
      </Panel>
    </>
  );
}
