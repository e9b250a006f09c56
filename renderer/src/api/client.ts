import { connectWebBridge, createClient, type ClientTransport, type ConsoleClient, type WebSocketLike } from '@switchboard/shared';
import { useConnectionStore } from '../stores/connection-store.js';

/**
 * The renderer's only way to main: the typed client of shared/src/ipc/client.ts over whichever
 * transport this page has. Under Electron the preload's `window.switchboard`; in web mode the web
 * bridge's WebSocket at `/ipc`, authenticated with the launch token of the page's `#token=` (then
 * with the session token each welcome brings, kept in sessionStorage so a reload still works).
 * Components never import this file: they use the hooks of api/queries/.
 */

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in web mode. */
    switchboard?: ClientTransport;
  }
}

/** Where the session token of this tab is kept between reloads. */
export const SESSION_STORAGE_KEY = 'switchboard.session';

/** A connected console. */
export interface ConsoleConnection {
  client: ConsoleClient;
  /** Which transport carries it. */
  transport: 'electron' | 'web';
  close(): void;
}

/** Why no connection could be made, in words for the operator. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}

/**
 * The launch token of a `#token=...` fragment, if any.
 * @example readLaunchToken('#token=abc') === 'abc'
 */
export function readLaunchToken(hash: string): string | undefined {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return value && value.length > 0 ? value : undefined;
}

/** A WebSocket constructor that reports opens and drops to the connection store. */
function observedWebSocket(): new (url: string) => WebSocketLike {
  return class ObservedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.addEventListener('open', () => useConnectionStore.getState().opened());
      this.addEventListener('close', () => useConnectionStore.getState().dropped());
    }
  };
}

async function connectWeb(): Promise<ConsoleConnection> {
  const launch = readLaunchToken(window.location.hash);
  const token = launch ?? window.sessionStorage.getItem(SESSION_STORAGE_KEY) ?? undefined;
  // The launch token works once: take it out of the address bar and history at once.
  if (launch) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (!token) throw new ConnectError('This page has no console token. Open the address the console printed (Console: http://…#token=…).');
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  try {
    const bridge = await connectWebBridge({
      url: `${scheme}://${window.location.host}/ipc`,
      token,
      WebSocket: observedWebSocket(),
      onSession: (session) => window.sessionStorage.setItem(SESSION_STORAGE_KEY, session),
      onClosed: () => useConnectionStore.getState().closed(),
    });
    useConnectionStore.getState().opened();
    return { client: createClient(bridge.transport), transport: 'web', close: () => bridge.close() };
  } catch {
    window.sessionStorage.removeItem(SESSION_STORAGE_KEY);
    throw new ConnectError('The console refused this page’s token (each printed address works once). Open the address the console printed again, or restart it for a new one.');
  }
}

/**
 * Connects to main: the Electron preload when present, else the web bridge of this page's host.
 * @example const { client } = await connectConsole(); await client.invoke('cluster.snapshot', {});
 */
export async function connectConsole(): Promise<ConsoleConnection> {
  const electron = window.switchboard;
  if (electron) {
    useConnectionStore.getState().opened();
    return { client: createClient(electron), transport: 'electron', close: () => undefined };
  }
  return connectWeb();
}
