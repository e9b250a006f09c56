import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, RESUME_BUFFER_SIZE } from './connection.js';

/** A socket stand-in that records what is sent (no `_socket`: nothing to cork). */
function fakeSocket(): { socket: WebSocket; sent: string[] } {
  const sent: string[] = [];
  const socket = { OPEN: 1, readyState: 1, send: (frame: string) => sent.push(frame) } as unknown as WebSocket;
  return { socket, sent };
}

function sendMany(connection: Connection, from: number, count: number): void {
  for (let i = from; i < from + count; i += 1) connection.sendEvent(`{"event":"e${i}","seq":`);
}

describe('Connection resume buffer', () => {
  it('keeps exactly the last RESUME_BUFFER_SIZE events after wrapping around', () => {
    const connection = new Connection('c1', 'u1', 's1');
    sendMany(connection, 0, 200);
    const oldest = 200 - RESUME_BUFFER_SIZE;
    expect(connection.canResumeFrom(oldest)).toBe(true);
    expect(connection.canResumeFrom(oldest - 1)).toBe(false);
    expect(connection.canResumeFrom(200)).toBe(true);
    expect(connection.canResumeFrom(201)).toBe(false);
    const { socket, sent } = fakeSocket();
    expect(connection.resume(socket, 195)).toBe(5);
    expect(sent).toEqual([195, 196, 197, 198, 199].map((seq) => `{"event":"e${seq}","seq":${seq}}`));
  });

  it('replays from the oldest kept event in order, and numbers new events after them', () => {
    const connection = new Connection('c2', 'u1', 's1');
    sendMany(connection, 0, RESUME_BUFFER_SIZE + 3);
    const { socket, sent } = fakeSocket();
    expect(connection.resume(socket, 3)).toBe(RESUME_BUFFER_SIZE);
    expect(sent[0]).toBe('{"event":"e3","seq":3}');
    expect(sent.at(-1)).toBe(`{"event":"e${RESUME_BUFFER_SIZE + 2}","seq":${RESUME_BUFFER_SIZE + 2}}`);
    connection.sendEvent('{"event":"next","seq":');
    expect(sent.at(-1)).toBe(`{"event":"next","seq":${RESUME_BUFFER_SIZE + 3}}`);
  });

  it('a connection rebuilt at a later position keeps only what it was given since', () => {
    const connection = new Connection('c3', 'u1', 's1', { nextSeq: 500, streamId: undefined });
    expect(connection.canResumeFrom(500)).toBe(true);
    expect(connection.canResumeFrom(499)).toBe(false);
    sendMany(connection, 500, 2);
    expect(connection.canResumeFrom(500)).toBe(true);
    expect(connection.canResumeFrom(499)).toBe(false);
    const { socket, sent } = fakeSocket();
    expect(connection.resume(socket, 500)).toBe(2);
    expect(sent).toEqual(['{"event":"e500","seq":500}', '{"event":"e501","seq":501}']);
  });
});
