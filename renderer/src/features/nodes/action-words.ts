import type { NodeAction } from '@switchboard/shared';

/** How each action reads: the button, while in flight, once done. */
export const ACTION_WORDS: Record<NodeAction, { verb: string; doing: string; done: string }> = {
  start: { verb: 'Start', doing: 'Starting', done: 'Started' },
  drain: { verb: 'Drain', doing: 'Draining', done: 'Drained' },
  kill: { verb: 'Kill', doing: 'Killing', done: 'Killed' },
  restart: { verb: 'Restart', doing: 'Restarting', done: 'Restarted' },
};

/** Actions that interrupt users and so ask first. */
export const DESTRUCTIVE: readonly NodeAction[] = ['drain', 'kill', 'restart'];

/** What confirming an action on a node will do, in one or two sentences. */
export function consequence(action: NodeAction, nodeId: string, connections: number, leaderEpoch: number | null): string {
  const clients = `${connections} connection${connections === 1 ? '' : 's'}`;
  const lease = leaderEpoch === null ? '' : ` It holds the leader lease (epoch ${leaderEpoch}); another node takes over${action === 'kill' ? ' once the lease expires' : ''}.`;
  if (action === 'kill') return `${nodeId} gets SIGKILL at once: its ${clients} drop and their clients reconnect to other nodes.${lease}`;
  if (action === 'drain') return `${nodeId} stops taking new clients, closes its ${clients} in batches so they move to other nodes, then exits.${lease}`;
  if (action === 'restart') return `${nodeId} drains (its ${clients} move to other nodes), then starts again.${lease}`;
  return `${nodeId} starts and joins the cluster.`;
}
