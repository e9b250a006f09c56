import { readFileSync } from 'node:fs';
import { EVENT_NAMES, METHOD_NAMES } from '@switchboard/shared';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { contractArgument, IPC_CHANNELS } from '../ipc/electron-transport.js';

/**
 * The preload runs sandboxed, where `require` gives 'electron' and little else. Loading its
 * source here with a `require` that knows only 'electron' proves it needs nothing more; a fake
 * contextBridge and ipcRenderer record what it does.
 */

interface Loaded {
  exposed: Array<[string, Bridge]>;
  sent: unknown[][];
  invoked: unknown[][];
  emit(name: unknown, payload: unknown): void;
  exports: { CHANNELS: Record<string, string> };
}

interface Bridge {
  invoke(method: unknown, input: unknown): Promise<unknown>;
  subscribe(event: unknown, listener: unknown): () => void;
}

function loadPreload(argv: string[]): Loaded {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const loaded = { exposed: [], sent: [], invoked: [] } as unknown as Loaded;
  let onEvent: (event: unknown, name: unknown, payload: unknown) => void = () => {};
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Bridge) => loaded.exposed.push([key, api]) },
    ipcRenderer: {
      on: (channel: string, listener: typeof onEvent) => {
        if (channel === IPC_CHANNELS.event) onEvent = listener;
      },
      send: (...args: unknown[]) => loaded.sent.push(args),
      invoke: async (...args: unknown[]) => {
        loaded.invoked.push(args);
        return { ok: true, output: 'from main' };
      },
    },
  };
  const module = { exports: {} };
  const require = (name: string) => {
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  new Function('require', 'module', 'exports', 'process', outputText)(require, module, module.exports, { argv });
  loaded.emit = (name, payload) => onEvent({ sender: 'the ipc event object' }, name, payload);
  loaded.exports = module.exports as Loaded['exports'];
  return loaded;
}

describe('preload', () => {
  const argv = ['electron', contractArgument()];

  it('exposes exactly one global, window.switchboard, with invoke and subscribe', () => {
    const { exposed } = loadPreload(argv);
    expect(exposed.map(([key]) => key)).toEqual(['switchboard']);
    expect(Object.keys(exposed[0]![1]).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('uses the channels the main-process transport listens on', () => {
    expect(loadPreload(argv).exports.CHANNELS).toEqual(IPC_CHANNELS);
  });

  it('invokes every contract method and refuses other names without sending', async () => {
    const loaded = loadPreload(argv);
    const bridge = loaded.exposed[0]![1];
    for (const method of METHOD_NAMES) await expect(bridge.invoke(method, {})).resolves.toEqual({ ok: true, output: 'from main' });
    expect(loaded.invoked.map((args) => args[1])).toEqual(METHOD_NAMES);
    for (const name of ['cluster.nope', 'toString', '__proto__', 42]) {
      await expect(bridge.invoke(name, {})).resolves.toMatchObject({ ok: false, error: { id: 'ipc.method_unknown' } });
    }
    expect(loaded.invoked).toHaveLength(METHOD_NAMES.length);
  });

  it('subscribes once per contract event, hands listeners only the payload, unsubscribes after the last', () => {
    const loaded = loadPreload(argv);
    const bridge = loaded.exposed[0]![1];
    const seen: unknown[][] = [];
    const stopA = bridge.subscribe(EVENT_NAMES[0], (...args: unknown[]) => seen.push(args));
    const stopB = bridge.subscribe(EVENT_NAMES[0], () => {});
    loaded.emit(EVENT_NAMES[0], { a: 1 });
    loaded.emit('other.onDidX', { b: 2 });
    expect(seen).toEqual([[{ a: 1 }]]);
    stopA();
    stopB();
    expect(loaded.sent).toEqual([
      [IPC_CHANNELS.subscribe, EVENT_NAMES[0]],
      [IPC_CHANNELS.unsubscribe, EVENT_NAMES[0]],
    ]);
  });

  it('refuses events outside the contract, and everything when the names are missing', () => {
    const bridge = loadPreload(argv).exposed[0]![1];
    expect(() => bridge.subscribe('cluster.onDidExplode', () => {})).toThrow(/ipc.event_unknown/);
    expect(() => bridge.subscribe(EVENT_NAMES[0], 'not a function')).toThrow(TypeError);
    const bare = loadPreload(['electron']).exposed[0]![1];
    expect(() => bare.subscribe(EVENT_NAMES[0], () => {})).toThrow(/ipc.event_unknown/);
    return expect(bare.invoke(METHOD_NAMES[0], {})).resolves.toMatchObject({ ok: false });
  });
});
