import { useMutation, useQuery } from '@tanstack/react-query';
import { useConsoleClient } from '../client-context.js';

/** Query keys of the `postgres.*` methods. */
export const postgresQueryKeys = {
  all: ['postgres'] as const,
  health: () => [...postgresQueryKeys.all, 'health'] as const,
};

/** How often Postgres health is read, ms. @default 5000 */
export const POSTGRES_HEALTH_REFRESH_MS = 5_000;

/**
 * Postgres at a glance, read every few seconds (an unreachable database is data, not an error).
 * @example const { data } = usePostgresHealth(); if (data && !data.reachable) showBanner(data.error);
 */
export function usePostgresHealth() {
  const client = useConsoleClient();
  return useQuery({
    queryKey: postgresQueryKeys.health(),
    queryFn: () => client.invoke('postgres.health', {}),
    refetchInterval: POSTGRES_HEALTH_REFRESH_MS,
  });
}

/**
 * Checks that every probe post is in the database once.
 * @example const check = useConsistencyCheck(); check.mutate();
 */
export function useConsistencyCheck() {
  const client = useConsoleClient();
  return useMutation({ mutationFn: () => client.invoke('postgres.consistencyCheck', {}) });
}
