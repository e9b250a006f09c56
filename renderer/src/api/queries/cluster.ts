import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClusterSnapshot, PresenceUserPage, ProbeInput, RecentEventsQuery } from '@switchboard/shared';
import { useEffect } from 'react';
import { useEventsStore } from '../../stores/events-store.js';
import { useSeriesStore } from '../../stores/series-store.js';
import { useConsoleClient } from '../client-context.js';

/** Query keys of the `cluster.*` methods. */
export const clusterQueryKeys = {
  all: ['cluster'] as const,
  snapshot: () => [...clusterQueryKeys.all, 'snapshot'] as const,
  presenceUsers: (search: string, page: number, perPage: number) => [...clusterQueryKeys.all, 'presence-users', { search, page, perPage }] as const,
  recentEvents: (query: RecentEventsQuery) => [...clusterQueryKeys.all, 'recent-events', query] as const,
};

/**
 * The cluster as the observer sees it. Fetched once; the live wiring (api/live.ts) keeps it
 * current from `cluster.onDidChange`, so it never goes stale on its own.
 * @example const { data: snapshot, isPending, error } = useSnapshot();
 */
export function useSnapshot<T = ClusterSnapshot>(select?: (snapshot: ClusterSnapshot) => T) {
  const client = useConsoleClient();
  return useQuery({
    queryKey: clusterQueryKeys.snapshot(),
    queryFn: () => client.invoke('cluster.snapshot', {}),
    staleTime: Infinity,
    ...(select ? { select } : {}),
  });
}

/** Users per page of the online-user list. @default 200 */
export const PRESENCE_PAGE_SIZE = 200;

/**
 * The pages of online users matching `search` that the list needs now (the virtualized list
 * asks only for the pages on screen). `total` comes from whichever page answered.
 */
export function usePresencePages(search: string, pages: readonly number[]) {
  const client = useConsoleClient();
  const wanted = pages.length === 0 ? [0] : pages;
  return useQueries({
    queries: wanted.map((page) => ({
      queryKey: clusterQueryKeys.presenceUsers(search, page, PRESENCE_PAGE_SIZE),
      queryFn: () => client.invoke('cluster.presenceUsers', { ...(search ? { search } : {}), page, perPage: PRESENCE_PAGE_SIZE }),
      staleTime: 2_000,
      refetchInterval: 5_000,
      placeholderData: keepPreviousData,
    })),
    combine: (results) => ({
      pages: new Map(results.flatMap((result, i) => (result.data ? [[wanted[i]!, result.data] as [number, PresenceUserPage]] : []))),
      total: results.find((result) => result.data)?.data?.total,
      isPending: results.every((result) => result.isPending),
      error: results.find((result) => result.error)?.error ?? null,
    }),
  });
}

/**
 * Seeds the live event stream with the newest events of the cluster's stream, once per mount.
 * @example const { isPending, error } = useRecentEventsSeed();
 */
export function useRecentEventsSeed(limit = 200) {
  const client = useConsoleClient();
  const seed = useEventsStore((state) => state.seed);
  const query = useQuery({
    queryKey: clusterQueryKeys.recentEvents({ limit }),
    queryFn: () => client.invoke('cluster.recentEvents', { limit }),
    staleTime: Infinity,
  });
  useEffect(() => {
    if (query.data) seed(query.data.events);
  }, [query.data, seed]);
  return query;
}

/**
 * Runs the end-to-end probe; its result lands in the snapshot and the probe series.
 * @example const probe = useRunProbe(); probe.mutate({});
 */
export function useRunProbe() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProbeInput) => client.invoke('cluster.probe', input),
    onSuccess: (probe) => {
      const next = queryClient.setQueryData<ClusterSnapshot>(clusterQueryKeys.snapshot(), (previous) => (previous ? { ...previous, probe } : previous));
      if (next) useSeriesStore.getState().ingest(next);
    },
  });
}
