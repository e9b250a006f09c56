import type { NodeAction } from '@switchboard/shared';
import { useState } from 'react';
import { useNodeAction } from '../../api/queries/hosts.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { nodeKey, useActionsStore } from '../../stores/actions-store.js';
import { ACTION_WORDS, consequence, DESTRUCTIVE } from './action-words.js';
import { DOWN_STATES, type NodeRow } from './node-rows.js';

/**
 * A node's action buttons: Start for a node that is down; Drain, Restart and Kill for one that
 * runs. Destructive ones ask first, naming the node; all are disabled while one is in flight.
 */
export function NodeActions({ row, leaderEpoch, onLogs }: { row: NodeRow; leaderEpoch: number | null; onLogs: () => void }) {
  const act = useNodeAction();
  const [confirming, setConfirming] = useState<NodeAction | null>(null);
  const host = row.host;
  const record = useActionsStore((state) => (host ? state.byNode[nodeKey(host, row.id)] : undefined));
  if (!host) return <span className="muted small">not in this profile</span>;
  const busy = record?.phase === 'started';
  const running = row.hostNode?.running === true && !DOWN_STATES.includes(row.state);
  const available: NodeAction[] = running ? ['drain', 'restart', 'kill'] : ['start'];
  const run = (action: NodeAction) => act.mutate({ host, nodeId: row.id, action });
  const ask = (action: NodeAction) => (DESTRUCTIVE.includes(action) ? setConfirming(action) : run(action));
  return (
    <div className="row-actions">
      {available.map((action) => (
        <button key={action} type="button" className={action === 'kill' ? 'danger small' : 'small'} disabled={busy} aria-label={`${ACTION_WORDS[action].verb} ${row.id}`} onClick={() => ask(action)}>
          {ACTION_WORDS[action].verb}
        </button>
      ))}
      <button type="button" className="small link" aria-label={`Logs of ${row.id}`} onClick={onLogs}>
        Logs
      </button>
      {confirming ? (
        <ConfirmDialog
          open
          title={`${ACTION_WORDS[confirming].verb} node ${row.id}?`}
          confirmLabel={`${ACTION_WORDS[confirming].verb} ${row.id}`}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            run(confirming);
          }}
        >
          <p>{consequence(confirming, row.id, row.entry?.connections ?? 0, row.isLeader ? leaderEpoch : null)}</p>
          <p className="muted small">
            Host {host} runs <code>nodectl {confirming} {row.id}</code>. The action is recorded in the audit log.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
