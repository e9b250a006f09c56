import { createContext, useContext, type ReactNode } from 'react';
import type { ConsoleClient } from '@switchboard/shared';

/** The connected client, handed to the query hooks (never to components). */
const ClientContext = createContext<ConsoleClient | null>(null);

/** Provides the console client to the hooks of api/queries/ below it. */
export function ClientProvider({ client, children }: { client: ConsoleClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/**
 * The console client; for api/queries/ hooks only.
 * @example const client = useConsoleClient(); useQuery({ queryFn: () => client.invoke('audit.read', {}) });
 */
export function useConsoleClient(): ConsoleClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useConsoleClient needs a <ClientProvider> above it');
  return client;
}
