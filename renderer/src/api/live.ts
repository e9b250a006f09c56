import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ClusterSnapshot, ConsoleClient, ObserverUpdate } from '@switchboard/shared';
import { useEffect } from 'react';
import { applyLeaderChange, applyUpdate } from '../lib/snapshot.js';
import { useActionsStore } from '../stores/actions-store.js';
import { useDrillStore } from '../stores/drill-store.js';
import { useEventsStore } from '../stores/events-store.js';
import { useMemoryStore } from '../stores/memory-store.js';
import { useSeriesStore } from '../stores/series-store.js';
import { useConsoleClient } from './client-context.js';
import { auditQueryKeys } from './queries/audit.js';
import { clusterQueryKeys } from './queries/cluster.js';
import { drillsQueryKeys } from './queries/drills.js';
import { hostsQueryKeys } from './queries/hosts.js';

/**
 * The live wiring, mounted once at the top of the app: the contract's events update the TanStack
 * Query cache (the snapshot, the node list, the audit log, the drill history) and the zustand ring
 * buffers (series, event stream, the console's memory of nodes and leaders, the live drill run).
 * A one-second tick samples the series so the charts advance evenly even when nothing changes.
 */

/** How often the presence and rate series take a point, ms. @default 1000 */
export const SAMPLE_INTERVAL_MS = 1_000;

function onClusterUpdate(queryClient: QueryClient, update: ObserverUpdate): void {
  const key = clusterQueryKeys.snapshot();
  const next = applyUpdate(queryClient.getQueryData<ClusterSnapshot>(key), update);
  if (!next) {
    // A delta before any snapshot: ask for one rather than guess.
    void queryClient.invalidateQueries({ queryKey: key });
    return;
  }
  queryClient.setQueryData(key, next);
  useSeriesStore.getState().ingest(next);
  useMemoryStore.getState().remember(next);
  if (update.type === 'delta' && (update.events.length > 0 || update.eventsDropped > 0)) useEventsStore.getState().append(update.events, update.eventsDropped);
}

function subscribeAll(client: ConsoleClient, queryClient: QueryClient): Array<() => void> {
  return [
    client.subscribe('cluster.onDidChange', (update) => onClusterUpdate(queryClient, update)),
    client.subscribe('cluster.onDidChangeLeader', (change) => {
      useMemoryStore.getState().recordLeaderChange(change);
      const key = clusterQueryKeys.snapshot();
      const next = applyLeaderChange(queryClient.getQueryData<ClusterSnapshot>(key), change);
      if (next) queryClient.setQueryData(key, next);
    }),
    client.subscribe('hosts.onDidAct', (event) => {
      useActionsStore.getState().applyEvent(event);
      if (event.phase === 'started') return;
      void queryClient.invalidateQueries({ queryKey: hostsQueryKeys.nodes() });
      void queryClient.invalidateQueries({ queryKey: auditQueryKeys.all });
    }),
    client.subscribe('drills.onDidProgress', (progress) => {
      useDrillStore.getState().apply(progress);
      // A run appears in the history when it starts, and gets its verdict when it ends.
      if (progress.event.type === 'run-started' || progress.event.type === 'verdict') void queryClient.invalidateQueries({ queryKey: drillsQueryKeys.runs() });
      // A drill kills and starts nodes: the node list follows.
      if (progress.event.type === 'step-finished') void queryClient.invalidateQueries({ queryKey: hostsQueryKeys.nodes() });
    }),
  ];
}

/**
 * Subscribes to every live event of the contract for as long as the app is mounted.
 * @example function App() { useLiveUpdates(); return <Shell />; }
 */
export function useLiveUpdates(): void {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const stops = subscribeAll(client, queryClient);
    const timer = window.setInterval(() => {
      const snapshot = queryClient.getQueryData<ClusterSnapshot>(clusterQueryKeys.snapshot());
      if (snapshot) useSeriesStore.getState().tick(snapshot, Date.now());
    }, SAMPLE_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      for (const stop of stops) stop();
    };
  }, [client, queryClient]);
}
