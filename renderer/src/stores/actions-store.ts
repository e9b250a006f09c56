import type { HostActionEvent, HostNode, IpcErrorBody, NodeAction } from '@switchboard/shared';
import { create } from 'zustand';

/**
 * Node actions as the operator sees them: the latest action per node, in flight or finished,
 * fed both by this window's own calls and by `hosts.onDidAct` (which also reports actions started
 * elsewhere). The Nodes view shows progress and outcome from here.
 */

/** Where an action stands. */
export type ActionPhase = 'started' | 'succeeded' | 'failed';

/** The latest action on one node. */
export interface ActionRecord {
  host: string;
  nodeId: string;
  action: NodeAction;
  phase: ActionPhase;
  startedAt: number;
  finishedAt: number | null;
  /** The node as nodectl left it (succeeded). */
  node: HostNode | null;
  error: IpcErrorBody | null;
}

/**
 * The key of a node across hosts.
 * @example nodeKey('localhost', 'n1') === 'localhost/n1'
 */
export function nodeKey(host: string, nodeId: string): string {
  return `${host}/${nodeId}`;
}

/** The actions store. */
export interface ActionsState {
  byNode: Record<string, ActionRecord>;
  begin(host: string, nodeId: string, action: NodeAction, at: number): void;
  succeed(host: string, nodeId: string, action: NodeAction, node: HostNode | null, at: number): void;
  fail(host: string, nodeId: string, action: NodeAction, error: IpcErrorBody, at: number): void;
  /** Applies a `hosts.onDidAct` payload. */
  applyEvent(event: HostActionEvent): void;
  reset(): void;
}

type Finish = Pick<ActionRecord, 'phase' | 'node' | 'error'> & { at: number };

function finished(previous: ActionRecord | undefined, host: string, nodeId: string, action: NodeAction, finish: Finish): ActionRecord {
  const startedAt = previous && previous.action === action ? previous.startedAt : finish.at;
  return { host, nodeId, action, phase: finish.phase, startedAt, finishedAt: finish.at, node: finish.node, error: finish.error };
}

/** Node actions of this console. */
export const useActionsStore = create<ActionsState>()((set, get) => ({
  byNode: {},
  begin: (host, nodeId, action, at) => {
    const key = nodeKey(host, nodeId);
    const current = get().byNode[key];
    // The started event of our own call may arrive after we marked it: keep the first start.
    if (current?.phase === 'started' && current.action === action) return;
    set((state) => ({ byNode: { ...state.byNode, [key]: { host, nodeId, action, phase: 'started', startedAt: at, finishedAt: null, node: null, error: null } } }));
  },
  succeed: (host, nodeId, action, node, at) =>
    set((state) => {
      const key = nodeKey(host, nodeId);
      return { byNode: { ...state.byNode, [key]: finished(state.byNode[key], host, nodeId, action, { phase: 'succeeded', node, error: null, at }) } };
    }),
  fail: (host, nodeId, action, error, at) =>
    set((state) => {
      const key = nodeKey(host, nodeId);
      return { byNode: { ...state.byNode, [key]: finished(state.byNode[key], host, nodeId, action, { phase: 'failed', node: null, error, at }) } };
    }),
  applyEvent: (event) => {
    const { begin, succeed, fail } = get();
    if (event.phase === 'started') return begin(event.host, event.nodeId, event.action, event.at);
    // Our own call records the same outcome too: whichever lands last says the same thing.
    if (event.phase === 'succeeded') return succeed(event.host, event.nodeId, event.action, event.node ?? null, event.at);
    fail(event.host, event.nodeId, event.action, event.error ?? { id: 'internal.error', message: 'The action failed.', detail: '' }, event.at);
  },
  reset: () => set({ byNode: {} }),
}));
