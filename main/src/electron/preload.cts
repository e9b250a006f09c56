/**
 * The preload: exposes exactly one global to the renderer, `window.switchboard`, with
 * `invoke(method, input)` and `subscribe(event, listener) -> unsubscribe`, refusing any name
 * outside the contract. It never exposes ipcRenderer nor an IPC event object.
 *
 * HAZARD: a sandboxed preload is CommonJS and may require nothing but 'electron' (and a few
 * built-ins), so this file imports nothing of ours. The contract's names arrive from the main
 * process as `--switchboard-contract=<uri-encoded JSON>` (webPreferences.additionalArguments);
 * the channel names below must equal IPC_CHANNELS in ipc/electron-transport.ts (a test checks).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS (see above)
import electron = require('electron');

/** The channels of ipc/electron-transport.ts. */
const CHANNELS = {
  invoke: 'switchboard:invoke',
  subscribe: 'switchboard:subscribe',
  unsubscribe: 'switchboard:unsubscribe',
  event: 'switchboard:event',
} as const;

/** The argument prefix carrying the contract's names. */
const CONTRACT_ARGUMENT = '--switchboard-contract=';

/** The global the renderer gets. */
interface SwitchboardBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** The contract's method and event names, from the process arguments (none when absent or malformed). */
function contractNames(argv: readonly string[]): { methods: Set<string>; events: Set<string> } {
  const argument = argv.find((arg) => arg.startsWith(CONTRACT_ARGUMENT));
  try {
    const parsed = JSON.parse(decodeURIComponent(argument?.slice(CONTRACT_ARGUMENT.length) ?? '')) as { methods?: unknown; events?: unknown };
    const strings = (value: unknown) => new Set(Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
    return { methods: strings(parsed.methods), events: strings(parsed.events) };
  } catch {
    return { methods: new Set(), events: new Set() };
  }
}

/** The bridge over `ipc`, refusing names outside `names`. */
function createBridge(names: { methods: Set<string>; events: Set<string> }, ipc: Pick<electron.IpcRenderer, 'invoke' | 'send' | 'on'>): SwitchboardBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  // Only the event name and payload go on: the IPC event object would hand the page ipcRenderer.
  ipc.on(CHANNELS.event, (_event, name: unknown, payload: unknown) => {
    if (typeof name === 'string') for (const listener of [...(listeners.get(name) ?? [])]) listener(payload);
  });
  return {
    invoke(method, input) {
      if (typeof method !== 'string' || !names.methods.has(method)) {
        return Promise.resolve({ ok: false, error: { id: 'ipc.method_unknown', message: 'The console has no such method.', detail: `method=${JSON.stringify(String(method).slice(0, 128))}` } });
      }
      return ipc.invoke(CHANNELS.invoke, method, input);
    },
    subscribe(event, listener) {
      if (typeof event !== 'string' || !names.events.has(event)) throw new Error(`ipc.event_unknown: no event ${JSON.stringify(String(event).slice(0, 128))}`);
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        ipc.send(CHANNELS.subscribe, event);
      }
      const own = (payload: unknown) => listener(payload);
      set.add(own);
      return () => {
        if (!set.delete(own) || set.size > 0 || listeners.get(event) !== set) return;
        listeners.delete(event);
        ipc.send(CHANNELS.unsubscribe, event);
      };
    },
  };
}

electron.contextBridge.exposeInMainWorld('switchboard', createBridge(contractNames(process.argv), electron.ipcRenderer));

/** For the unit test (the renderer sees only `window.switchboard`). */
export = { CHANNELS, CONTRACT_ARGUMENT, contractNames, createBridge };
