import { create } from 'zustand';

/**
 * The state of the link to main: `open`, `lost` while the web bridge reconnects (calls fail,
 * live figures freeze), `closed` once it gave up. Electron's IPC never drops: always `open`.
 */

/** Where the link to main stands. */
export type ConnectionStatus = 'connecting' | 'open' | 'lost' | 'closed';

/** The connection store's state and transitions. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** When the status last changed, epoch ms. */
  since: number;
  /** A socket opened (first connect or reconnect). */
  opened(): void;
  /** A socket dropped; the bridge client reconnects unless it gave up. */
  dropped(): void;
  /** The bridge client gave up for good. */
  closed(): void;
}

/** The link to main, shared by the banner and the live wiring. */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  status: 'connecting',
  since: Date.now(),
  opened: () => set({ status: 'open', since: Date.now() }),
  dropped: () => {
    if (get().status !== 'closed') set({ status: 'lost', since: Date.now() });
  },
  closed: () => set({ status: 'closed', since: Date.now() }),
}));
