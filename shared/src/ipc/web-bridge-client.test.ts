import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import { connectWebBridge, type WebSocketLike } from './web-bridge-client.js';

/** A scripted WebSocket: the test opens, feeds and closes it. */
class FakeSocket implements WebSocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  readonly #listeners = new Map<string, Array<(event: never) => void>>();

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.drop(1000);
  }

  addEventListener(type: string, listener: (event: never) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  #fire(type: string, event: unknown): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as (e: unknown) => void)(event);
  }

  open(): void {
    this.readyState = 1;
    this.#fire('open', undefined);
  }

  receive(frame: unknown): void {
    this.#fire('message', { data: JSON.stringify(frame) });
  }

  drop(code: number): void {
    this.readyState = 3;
    this.#fire('close', { code });
  }
}

const latest = () => FakeSocket.made.at(-1)!;

async function connected(options: { onSession?: (token: string) => void; onClosed?: (code: number) => void } = {}) {
  const pending = connectWebBridge({ url: 'ws://127.0.0.1:1/ipc', token: 'launch', WebSocket: FakeSocket, ...options });
  latest().open();
  latest().receive({ type: 'welcome', session: 's1', contractVersion: '1.0.0' });
  return pending;
}

afterEach(() => {
  FakeSocket.made = [];
  vi.useRealTimers();
});

describe('connectWebBridge', () => {
  it('authenticates with the launch token in the first frame, then keeps the session token', async () => {
    const sessions: string[] = [];
    await connected({ onSession: (token) => sessions.push(token) });
    expect(latest().sent[0]).toEqual({ type: 'auth', token: 'launch' });
    expect(sessions).toEqual(['s1']);
  });

  it('rejects when the bridge refuses the first connection', async () => {
    const pending = connectWebBridge({ url: 'ws://127.0.0.1:1/ipc', token: 'bad', WebSocket: FakeSocket });
    latest().open();
    latest().drop(4401);
    await expect(pending).rejects.toThrow(/refused/);
  });

  it('after a drop, fails pending calls, reconnects with the session token and subscribes again', async () => {
    vi.useFakeTimers();
    const bridge = await connected();
    const client = createClient(bridge.transport);
    client.subscribe('hosts.onDidAct', () => {});
    const call = client.invoke('profiles.list', {});
    latest().drop(1006);
    await expect(call).rejects.toMatchObject({ id: 'ipc.disconnected' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(FakeSocket.made).toHaveLength(2);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'auth', token: 's1' }]);
    latest().receive({ type: 'welcome', session: 's2', contractVersion: '1.0.0' });
    expect(latest().sent[1]).toMatchObject({ type: 'subscribe', event: 'hosts.onDidAct' });
    bridge.close();
  });

  it('gives up after an unauthorized close, and says so', async () => {
    const codes: number[] = [];
    await connected({ onClosed: (code) => codes.push(code) });
    latest().drop(4401);
    expect(codes).toEqual([4401]);
    expect(FakeSocket.made).toHaveLength(1);
  });
});
