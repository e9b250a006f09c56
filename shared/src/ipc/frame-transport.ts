import { ERRORS } from '../errors/catalog.js';
import type { ClientTransport } from './client.js';
import type { ClientFrame, InvokeResult, ServerFrame } from './wire.js';

/**
 * A frame channel: a WebSocket to the web bridge, or one end of an in-memory pair. It delivers
 * frames already parsed; it need not validate them (the transport and the client do).
 */
export interface FrameChannel {
  send(frame: ClientFrame): void;
  /** Calls `listener` with every frame received until the returned function is called. */
  onFrame(listener: (frame: ServerFrame) => void): () => void;
}

/** A {@link ClientTransport} over frames, with the hooks a reconnecting channel needs. */
export interface FrameTransport extends ClientTransport {
  /** Subscribes again to every event that has listeners (after the channel reconnected). */
  resubscribe(): void;
  /** Fails every call still waiting (the channel closed): they resolve with `ipc.disconnected`. */
  failPending(detail: string): void;
  /** Detaches from the channel and fails what is pending. */
  dispose(): void;
}

function disconnected(detail: string): InvokeResult {
  return { ok: false, error: { id: 'ipc.disconnected', message: ERRORS['ipc.disconnected'].message, detail } };
}

/**
 * Correlates request and response frames by id and fans event frames out to local listeners;
 * each event is subscribed once on the channel however many listeners it has here.
 * @example const client = createClient(createFrameTransport(channel));
 */
export function createFrameTransport(channel: FrameChannel): FrameTransport {
  let nextId = 1;
  const pending = new Map<string, (result: InvokeResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const newId = () => `c${(nextId++).toString(36)}`;

  const detach = channel.onFrame((frame) => {
    if (frame.type === 'response') {
      const resolve = pending.get(frame.id);
      if (!resolve) return; // the answer to a subscribe or unsubscribe: nothing waits for it
      pending.delete(frame.id);
      resolve(frame.ok ? { ok: true, output: frame.output } : { ok: false, error: frame.error });
    } else if (frame.type === 'event') {
      for (const listener of [...(listeners.get(frame.event) ?? [])]) listener(frame.payload);
    }
  });

  const failPending = (detail: string) => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const resolve of waiting) resolve(disconnected(detail));
  };

  return {
    invoke(method, input) {
      const id = newId();
      return new Promise<InvokeResult>((resolve) => {
        pending.set(id, resolve);
        try {
          channel.send({ type: 'request', id, method, input });
        } catch (err) {
          pending.delete(id);
          resolve(disconnected(err instanceof Error ? err.message : String(err)));
        }
      });
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        channel.send({ type: 'subscribe', id: newId(), event });
      }
      const wrapped = (payload: unknown) => listener(payload);
      set.add(wrapped);
      return () => {
        if (!set.delete(wrapped) || set.size > 0 || listeners.get(event) !== set) return;
        listeners.delete(event);
        channel.send({ type: 'unsubscribe', id: newId(), event });
      };
    },
    resubscribe() {
      for (const event of listeners.keys()) channel.send({ type: 'subscribe', id: newId(), event });
    },
    failPending,
    dispose() {
      detach();
      listeners.clear();
      failPending('the client was disposed');
    },
  };
}
