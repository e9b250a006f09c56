import { useState } from 'react';
import { useSnapshot } from '../../api/queries/cluster.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { useNow } from '../../lib/use-now.js';
import { ActionProgress } from './ActionProgress.js';
import { AuditLog } from './AuditLog.js';
import { HostFailures } from './HostFailures.js';
import { LogsDialog } from './LogsDialog.js';
import type { NodeRow } from './node-rows.js';
import { NodesTable } from './NodesTable.js';
import { useNodeRows } from './use-node-rows.js';

/** Nodes: the table of every node with its controls, the actions in flight, and the audit log. */
export default function NodesView() {
  const now = useNow(1_000);
  const snapshot = useSnapshot();
  const rows = useNodeRows(now);
  const [logsOf, setLogsOf] = useState<NodeRow | null>(null);
  const header = <ViewHeader title="Nodes" summary="Every node with its state, identity and load. Start, drain, kill or restart one; each action is audited." />;
  if (snapshot.isPending) return <>{header}<Loading label="Reading the registry…" /></>;
  if (snapshot.error) return <>{header}<ErrorState title="The registry could not be read" error={snapshot.error} onRetry={() => void snapshot.refetch()} /></>;
  const mismatched = rows.some((row) => row.configMismatch || row.schemaMismatch);
  return (
    <>
      {header}
      <HostFailures />
      {mismatched ? (
        <p className="alert alert-warning" role="alert">
          Nodes disagree on their configuration hash or schema version: the ones marked “differs” run with another configuration or migration than the rest.
        </p>
      ) : null}
      <Panel title="Cluster nodes">
        {rows.length === 0 ? <EmptyState title="No node yet">No node is in the registry and no host of this profile lists one. Start one with nodectl or from a host here.</EmptyState> : <NodesTable rows={rows} now={now} leaderEpoch={snapshot.data.leader?.epoch ?? null} onLogs={setLogsOf} />}
      </Panel>
      <Panel title="Actions">
        <ActionProgress />
      </Panel>
      <Panel title="Audit log">
        <AuditLog />
      </Panel>
      {logsOf?.host ? <LogsDialog host={logsOf.host} nodeId={logsOf.id} onClose={() => setLogsOf(null)} /> : null}
    </>
  );
}
