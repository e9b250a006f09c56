import { useMemo } from 'react';
import { useSnapshot } from '../../api/queries/cluster.js';
import { useHostNodes } from '../../api/queries/hosts.js';
import { useEventRatesPerNode, useRecentPairs } from '../../api/queries/series.js';
import { useActionsStore } from '../../stores/actions-store.js';
import { useMemoryStore } from '../../stores/memory-store.js';
import { buildNodeRows, type NodeRow } from './node-rows.js';

/**
 * The Nodes table's rows, rebuilt when the snapshot, nodectl's list, an action or the clock
 * (`now`) moves.
 * @example const rows = useNodeRows(useNow());
 */
export function useNodeRows(now: number): NodeRow[] {
  const { data: snapshot } = useSnapshot();
  const { data: hosts } = useHostNodes();
  const seen = useMemoryStore((state) => state.seen);
  const actions = useActionsStore((state) => state.byNode);
  const eventRates = useEventRatesPerNode(now);
  const pairs = useRecentPairs(now);
  return useMemo(() => {
    if (!snapshot) return [];
    const registryAgeMs = snapshot.asOf === null ? 0 : Math.max(0, now - snapshot.asOf);
    return buildNodeRows({
      registry: snapshot.nodes,
      registryAgeMs,
      hostNodes: hosts?.nodes ?? [],
      seen,
      actions,
      leader: snapshot.leader,
      pairs,
      eventRates,
      now,
    });
  }, [snapshot, hosts, seen, actions, eventRates, pairs, now]);
}
