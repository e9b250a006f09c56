import { createFrameTransport, type ClientFrame, type FrameChannel, type FrameTransport, type ServerFrame } from '@switchboard/shared';
import type { Router } from './router.js';

/** Both ends of an in-memory transport: the client's and the router's. */
export interface MemoryPair {
  /** The client's end, for `createClient`. */
  client: FrameTransport;
  /** Frames the router sent, in order (for assertions). */
  sent: ServerFrame[];
  /** Sends a raw frame to the router as a transport would (for malformed-frame tests). */
  sendRaw(frame: unknown): void;
  /** Closes the router's conversation and the client's end. */
  close(): void;
}

/** Frames cross as JSON text, as they do on a socket: only plain JSON survives. */
function roundTrip<T>(frame: T): T {
  return JSON.parse(JSON.stringify(frame)) as T;
}

/**
 * A transport pair in memory: a frame client wired to one router conversation, delivering each
 * frame asynchronously (a microtask) and through JSON, like a socket would.
 * @example const pair = connectMemoryPair(router); const client = createClient(pair.client);
 */
export function connectMemoryPair(router: Router): MemoryPair {
  const listeners = new Set<(frame: ServerFrame) => void>();
  const sent: ServerFrame[] = [];
  const connection = router.connect((frame) => {
    const copy = roundTrip(frame);
    sent.push(copy);
    queueMicrotask(() => listeners.forEach((listener) => listener(copy)));
  });
  const channel: FrameChannel = {
    send(frame: ClientFrame) {
      const copy = roundTrip(frame);
      queueMicrotask(() => connection.receive(copy));
    },
    onFrame(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const client = createFrameTransport(channel);
  return {
    client,
    sent,
    sendRaw: (frame) => queueMicrotask(() => connection.receive(frame)),
    close() {
      connection.close();
      client.dispose();
    },
  };
}
