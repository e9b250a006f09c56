import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { ClientProvider } from './api/client-context.js';
import { connectConsole } from './api/client.js';
import { App } from './app/App.js';
import { BootScreen } from './app/BootScreen.js';
import './styles/app.css';

// The page's CSP has no 'unsafe-eval': tell zod not to try compiling its parsers.
zodConfig({ jitless: true });

/** Queries retry a little (a call may fail while the bridge reconnects), then show their error. */
function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 2, retryDelay: (attempt) => Math.min(4_000, 500 * 2 ** attempt), refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  root.render(<BootScreen state="connecting" />);
  try {
    const { client } = await connectConsole();
    root.render(
      <StrictMode>
        <QueryClientProvider client={createQueryClient()}>
          <ClientProvider client={client}>
            <App />
          </ClientProvider>
        </QueryClientProvider>
      </StrictMode>,
    );
  } catch (err) {
    root.render(<BootScreen state="failed" message={err instanceof Error ? err.message : String(err)} />);
  }
}

void boot();
