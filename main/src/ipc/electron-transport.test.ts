import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { registerElectronTransport, IPC_CHANNELS, contractArgument, type IpcEventLike, type IpcMainLike, type SenderLike } from './electron-transport.js';
import { createFakeServices, fakeSnapshot } from './fake-services.js';
import { Router } from './router.js';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** A fake ipcMain: handlers and listeners by channel, and windows that record what they are sent. */
function fakeIpc() {
  const handlers = new Map<string, Listener>();
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
    on: (channel, listener) => listeners.set(channel, listener),
    removeAllListeners: (channel) => listeners.delete(channel),
  };
  const window = (url: string | null, id = 1) => {
    const sent: unknown[][] = [];
    let destroy = () => {};
    const sender: SenderLike = { id, send: (...args) => void sent.push(args), isDestroyed: () => false, once: (_event, listener) => (destroy = listener) };
    const event: IpcEventLike = { senderFrame: url === null ? null : { url }, sender };
    return { event, sent, destroy: () => destroy() };
  };
  return { ipcMain, handlers, listeners, window };
}

function setup() {
  const fake = createFakeServices();
  const ipc = fakeIpc();
  const log = pino({ level: 'silent' });
  const dispose = registerElectronTransport({ ipcMain: ipc.ipcMain, router: new Router({ services: fake.services, log }), trusted: { appOrigin: 'app://console' }, log });
  return { fake, ipc, dispose };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('electron transport', () => {
  it('invokes from the app frame', async () => {
    const { ipc, fake } = setup();
    const { event } = ipc.window('app://console/index.html');
    const result = await ipc.handlers.get(IPC_CHANNELS.invoke)!(event, 'hosts.drain', { host: 'web1', nodeId: 'n1' });
    expect(result).toMatchObject({ ok: true, output: { id: 'n1' } });
    expect(fake.calls).toEqual(['hosts.drain({"host":"web1","nodeId":"n1"})']);
  });

  it.each([null, 'https://evil.example/', 'file:///tmp/x.html', 'about:blank'])('refuses a sender frame at %s before looking at its arguments', async (url) => {
    const { ipc, fake } = setup();
    const { event, sent } = ipc.window(url);
    let touched = false;
    const input = { get host() { touched = true; return 'web1'; }, nodeId: 'n1' };
    const result = await ipc.handlers.get(IPC_CHANNELS.invoke)!(event, 'hosts.kill', input);
    expect(result).toMatchObject({ ok: false, error: { id: 'ipc.sender_refused' } });
    ipc.listeners.get(IPC_CHANNELS.subscribe)!(event, 'cluster.onDidChange');
    await tick();
    expect([touched, fake.calls, sent, fake.listenerCount('cluster.onDidChange')]).toEqual([false, [], [], 0]);
  });

  it('forwards subscribed events to the window, and drops them when it is destroyed', async () => {
    const { ipc, fake } = setup();
    const win = ipc.window('app://console/index.html');
    ipc.listeners.get(IPC_CHANNELS.subscribe)!(win.event, 'cluster.onDidChange');
    await tick();
    fake.emit('cluster.onDidChange', { type: 'snapshot', snapshot: fakeSnapshot() });
    expect(win.sent).toEqual([[IPC_CHANNELS.event, 'cluster.onDidChange', { type: 'snapshot', snapshot: fakeSnapshot() }]]);
    win.destroy();
    expect(fake.listenerCount('cluster.onDidChange')).toBe(0);
  });

  it('unsubscribes, and disposing removes every handler and subscription', async () => {
    const { ipc, fake, dispose } = setup();
    const win = ipc.window('app://console/index.html');
    ipc.listeners.get(IPC_CHANNELS.subscribe)!(win.event, 'hosts.onDidAct');
    ipc.listeners.get(IPC_CHANNELS.subscribe)!(win.event, 'cluster.onDidChangeLeader');
    ipc.listeners.get(IPC_CHANNELS.unsubscribe)!(win.event, 'hosts.onDidAct');
    expect([fake.listenerCount('hosts.onDidAct'), fake.listenerCount('cluster.onDidChangeLeader')]).toEqual([0, 1]);
    dispose();
    expect([ipc.handlers.size, ipc.listeners.size, fake.listenerCount('cluster.onDidChangeLeader')]).toEqual([0, 0, 0]);
  });

  it('hands the preload every contract name in one argument', () => {
    const names = JSON.parse(decodeURIComponent(contractArgument().replace('--switchboard-contract=', ''))) as { methods: string[]; events: string[] };
    expect(names.methods).toContain('hosts.drain');
    expect(names.events).toEqual(['cluster.onDidChange', 'cluster.onDidChangeLeader', 'hosts.onDidAct', 'drills.onDidProgress']);
  });
});
