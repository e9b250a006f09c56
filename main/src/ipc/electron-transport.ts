import { EVENT_NAMES, METHOD_NAMES, SwitchboardError, type InvokeResult } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { Router, RouterConnection } from './router.js';
import { isTrustedSenderUrl, type TrustedRenderer } from './security.js';

/**
 * The Electron IPC transport, written against the few members of Electron's ipcMain it uses (so
 * this file imports no 'electron' and is unit tested with a fake). Every message's sender frame
 * is checked against the renderer's own location BEFORE its arguments are looked at.
 * Channels: `switchboard:invoke` (handle: method, input -> InvokeResult),
 * `switchboard:subscribe` / `switchboard:unsubscribe` (event name), and main -> renderer
 * `switchboard:event` (event name, payload).
 */

/** IPC channel names shared with the preload (which cannot import this file: it is sandboxed). */
export const IPC_CHANNELS = {
  invoke: 'switchboard:invoke',
  subscribe: 'switchboard:subscribe',
  unsubscribe: 'switchboard:unsubscribe',
  event: 'switchboard:event',
} as const;

/**
 * The process argument that hands the sandboxed preload the contract's names (it cannot import
 * the contract): `--switchboard-contract=<uri-encoded JSON {methods, events}>`.
 * @example new BrowserWindow({ webPreferences: { additionalArguments: [contractArgument()] } })
 */
export function contractArgument(): string {
  return `--switchboard-contract=${encodeURIComponent(JSON.stringify({ methods: METHOD_NAMES, events: EVENT_NAMES }))}`;
}

/** What this transport uses of a WebContents. */
export interface SenderLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** What this transport uses of an IpcMainEvent / IpcMainInvokeEvent. */
export interface IpcEventLike {
  readonly senderFrame: { readonly url: string } | null;
  readonly sender: SenderLike;
}

/** What this transport uses of ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
}

/** What the transport needs. */
export interface ElectronTransportDeps {
  ipcMain: IpcMainLike;
  router: Router;
  trusted: TrustedRenderer;
  log: Logger;
}

function refused(): InvokeResult {
  const error = new SwitchboardError('ipc.sender_refused');
  return { ok: false, error: { id: error.id, message: error.message, detail: '' } };
}

/**
 * Registers the IPC handlers; returns the function that removes them and ends every window's
 * conversation.
 * @example const dispose = registerElectronTransport({ ipcMain, router, trusted: { rendererDirUrl }, log });
 */
export function registerElectronTransport(deps: ElectronTransportDeps): () => void {
  const log = deps.log.child({ transport: 'electron' });
  const conversations = new Map<number, RouterConnection>();
  let nextId = 1;

  const trustedSender = (event: IpcEventLike, channel: string): boolean => {
    const url = event.senderFrame?.url;
    if (isTrustedSenderUrl(url, deps.trusted)) return true;
    log.warn({ channel, url: url?.slice(0, 200) }, 'ipc message refused: untrusted sender frame');
    return false;
  };

  const conversationOf = (sender: SenderLike): RouterConnection => {
    let conversation = conversations.get(sender.id);
    if (conversation) return conversation;
    conversation = deps.router.connect((frame) => {
      if (sender.isDestroyed()) return;
      if (frame.type === 'event') sender.send(IPC_CHANNELS.event, frame.event, frame.payload);
      else if (frame.type === 'response' && !frame.ok) log.warn({ error: frame.error }, 'ipc subscription refused');
    });
    conversations.set(sender.id, conversation);
    sender.once('destroyed', () => {
      conversations.get(sender.id)?.close();
      conversations.delete(sender.id);
    });
    return conversation;
  };

  deps.ipcMain.handle(IPC_CHANNELS.invoke, (event, method, input) => {
    if (!trustedSender(event, IPC_CHANNELS.invoke)) return refused();
    return deps.router.invoke(method, input);
  });
  for (const type of ['subscribe', 'unsubscribe'] as const) {
    deps.ipcMain.on(IPC_CHANNELS[type], (event, name) => {
      if (!trustedSender(event, IPC_CHANNELS[type])) return;
      conversationOf(event.sender).receive({ type, id: `e${nextId++}`, event: name });
    });
  }

  return () => {
    deps.ipcMain.removeHandler(IPC_CHANNELS.invoke);
    deps.ipcMain.removeAllListeners(IPC_CHANNELS.subscribe);
    deps.ipcMain.removeAllListeners(IPC_CHANNELS.unsubscribe);
    for (const conversation of conversations.values()) conversation.close();
    conversations.clear();
  };
}
