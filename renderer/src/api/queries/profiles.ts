import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ClusterProfile } from '@switchboard/shared';
import { useActionsStore } from '../../stores/actions-store.js';
import { useEventsStore } from '../../stores/events-store.js';
import { useMemoryStore } from '../../stores/memory-store.js';
import { useSeriesStore } from '../../stores/series-store.js';
import { useConsoleClient } from '../client-context.js';

/** Query keys of the `profiles.*` methods. */
export const profilesQueryKeys = {
  all: ['profiles'] as const,
  list: () => [...profilesQueryKeys.all, 'list'] as const,
  one: (name: string) => [...profilesQueryKeys.all, 'one', name] as const,
};

/**
 * The profiles the console knows and the one it watches.
 * @example const { data } = useProfiles(); data?.selected
 */
export function useProfiles() {
  const client = useConsoleClient();
  return useQuery({ queryKey: profilesQueryKeys.list(), queryFn: () => client.invoke('profiles.list', {}), staleTime: 30_000 });
}

/**
 * One profile, validated (secrets named, never included); nothing is read while `name` is null.
 * @example const { data } = useProfile('local');
 */
export function useProfile(name: string | null) {
  const client = useConsoleClient();
  return useQuery({
    queryKey: profilesQueryKeys.one(name ?? ''),
    queryFn: () => client.invoke('profiles.get', { name: name ?? '' }),
    enabled: name !== null,
    staleTime: 30_000,
  });
}

/**
 * Writes a profile into the console's profile folder.
 * @example useSaveProfile().mutate(profile);
 */
export function useSaveProfile() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (profile: ClusterProfile) => client.invoke('profiles.save', { profile }),
    onSuccess: (summary) => Promise.all([queryClient.invalidateQueries({ queryKey: profilesQueryKeys.list() }), queryClient.invalidateQueries({ queryKey: profilesQueryKeys.one(summary.name) })]),
  });
}

/**
 * Switches the console to another profile: every figure of the previous cluster is forgotten.
 * @example useSelectProfile().mutate('staging');
 */
export function useSelectProfile() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => client.invoke('profiles.select', { name }),
    onSuccess: async () => {
      useSeriesStore.getState().reset();
      useEventsStore.getState().clear();
      useMemoryStore.getState().reset();
      useActionsStore.getState().reset();
      await queryClient.invalidateQueries();
    },
  });
}
