import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SwitchboardError, type NodeAction } from '@switchboard/shared';
import { useActionsStore } from '../../stores/actions-store.js';
import { useConsoleClient } from '../client-context.js';
import { auditQueryKeys } from './audit.js';

/** Query keys of the `hosts.*` methods. */
export const hostsQueryKeys = {
  all: ['hosts'] as const,
  nodes: () => [...hostsQueryKeys.all, 'nodes'] as const,
  logs: (host: string, nodeId: string, lines: number) => [...hostsQueryKeys.all, 'logs', { host, nodeId, lines }] as const,
};

/** How often nodectl is asked for its nodes, ms. @default 5000 */
export const HOST_NODES_REFRESH_MS = 5_000;

/**
 * Every node of the profile's hosts as nodectl reports it, and the hosts that did not answer.
 * @example const { data } = useHostNodes(); data?.failures.forEach(...)
 */
export function useHostNodes() {
  const client = useConsoleClient();
  return useQuery({
    queryKey: hostsQueryKeys.nodes(),
    queryFn: () => client.invoke('hosts.listNodes', {}),
    refetchInterval: HOST_NODES_REFRESH_MS,
  });
}

/** What a node action is asked for. */
export interface NodeActionRequest {
  host: string;
  nodeId: string;
  action: NodeAction;
}

const METHOD = { start: 'hosts.start', drain: 'hosts.drain', kill: 'hosts.kill', restart: 'hosts.restart' } as const;

/**
 * Starts, drains, kills or restarts a node; progress and outcome go to the actions store, the
 * node list and the audit log are read again after.
 * @example const act = useNodeAction(); act.mutate({ host: 'localhost', nodeId: 'n1', action: 'kill' });
 */
export function useNodeAction() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ host, nodeId, action }: NodeActionRequest) => client.invoke(METHOD[action], { host, nodeId }),
    onMutate: ({ host, nodeId, action }) => useActionsStore.getState().begin(host, nodeId, action, Date.now()),
    onSuccess: (node, { host, nodeId, action }) => useActionsStore.getState().succeed(host, nodeId, action, node, Date.now()),
    onError: (error, { host, nodeId, action }) => {
      const body = error instanceof SwitchboardError ? { id: error.id, message: error.message, detail: error.detail } : { id: 'internal.error', message: error.message, detail: '' };
      useActionsStore.getState().fail(host, nodeId, action, body, Date.now());
    },
    onSettled: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: hostsQueryKeys.nodes() }), queryClient.invalidateQueries({ queryKey: auditQueryKeys.all })]);
    },
  });
}

/**
 * The last lines of a node's log, read when `enabled`.
 * @example const { data } = useNodeLogs('localhost', 'n1', open);
 */
export function useNodeLogs(host: string, nodeId: string, enabled: boolean, lines = 200) {
  const client = useConsoleClient();
  return useQuery({
    queryKey: hostsQueryKeys.logs(host, nodeId, lines),
    queryFn: () => client.invoke('hosts.logs', { host, nodeId, lines }),
    enabled,
    staleTime: 0,
  });
}

/**
 * Trusts a host key the operator checked (after a first contact showed its fingerprint).
 * @example useAcceptHostKey().mutate({ host: 'h1', fingerprint: 'SHA256:…' });
 */
export function useAcceptHostKey() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { host: string; fingerprint: string }) => client.invoke('hosts.acceptHostKey', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: hostsQueryKeys.nodes() }),
  });
}
