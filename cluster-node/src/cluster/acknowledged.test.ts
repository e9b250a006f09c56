import type { Envelope } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { AcknowledgedLog, streamIdBefore } from './acknowledged.js';
import { reconnectOnReadOnly } from './redis-clients.js';

describe('AcknowledgedLog', () => {
  it('keeps what was acknowledged inside the window, at most `limit`, oldest first, and forgets what is published again', () => {
    let now = 10_000;
    const log = new AcknowledgedLog(1_000, 3, () => now);
    const item = (n: number) => ({ streamId: `${n}-0`, frame: `f${n}`, at: now, envelope: {} as Envelope });
    for (const n of [1, 2, 3, 4]) log.add(item(n));
    expect(log.current().map((i) => i.frame)).toEqual(['f2', 'f3', 'f4']);
    now += 600;
    log.add(item(5));
    now += 500;
    expect(log.current().map((i) => i.frame)).toEqual(['f5']);
    const [five] = log.current();
    log.remove([five!]);
    expect(log.size).toBe(0);
  });
});

describe('streamIdBefore', () => {
  it('steps back whole milliseconds and never below zero', () => {
    expect(streamIdBefore('1700000005000-3', 2_000)).toBe('1700000003000-0');
    expect(streamIdBefore('1000-0', 5_000)).toBe('0-0');
  });
});

describe('reconnectOnReadOnly', () => {
  it('reconnects on READONLY from a demoted primary and on nothing else', () => {
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(1);
    expect(reconnectOnReadOnly(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(reconnectOnReadOnly(new Error('NOSCRIPT No matching script'))).toBe(false);
  });
});
