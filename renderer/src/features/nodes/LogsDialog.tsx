import { useNodeLogs } from '../../api/queries/hosts.js';
import { Dialog } from '../../components/Dialog.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';

/** The last lines of a node's log, read through nodectl when opened. */
export function LogsDialog({ host, nodeId, onClose }: { host: string; nodeId: string; onClose: () => void }) {
  const logs = useNodeLogs(host, nodeId, true);
  return (
    <Dialog open wide title={`Log of ${nodeId} on ${host}`} onClose={onClose}>
      {logs.isPending ? <Loading label="Reading the log…" /> : null}
      {logs.error ? <ErrorState title="The log could not be read" error={logs.error} onRetry={() => void logs.refetch()} /> : null}
      {logs.data && logs.data.lines.length === 0 ? <EmptyState title="The log is empty" /> : null}
      {logs.data && logs.data.lines.length > 0 ? <pre className="log">{logs.data.lines.join('\n')}</pre> : null}
      <div className="dialog-actions">
        <button type="button" onClick={() => void logs.refetch()}>
          Refresh
        </button>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
