import { useInfiniteQuery } from '@tanstack/react-query';
import { useConsoleClient } from '../client-context.js';

/** Query keys of `audit.read`. */
export const auditQueryKeys = {
  all: ['audit'] as const,
  list: (limit: number) => [...auditQueryKeys.all, 'list', { limit }] as const,
};

/**
 * The audit log, newest first, a page of `limit` entries at a time (`fetchNextPage` reads older).
 * @example const audit = useAudit(); const entries = audit.data?.pages.flatMap((page) => page.entries);
 */
export function useAudit(limit = 50) {
  const client = useConsoleClient();
  return useInfiniteQuery({
    queryKey: auditQueryKeys.list(limit),
    queryFn: ({ pageParam }) => client.invoke('audit.read', { limit, ...(pageParam === undefined ? {} : { before: pageParam }) }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.entries.length < limit ? undefined : last.entries.at(-1)?.ts),
    refetchInterval: 10_000,
  });
}
