import { describe, expect, it } from 'vitest';
import { openFrameUnverified, parseBusMessage } from './envelope.js';
import { parseLatencySummary } from './latency.js';
import { parseLeaderHistoryEntry, parseLeaderHolder } from './leader.js';
import { parseRegistryEntry } from './registry.js';

describe('read-side parsers of what nodes write in Redis', () => {
  it('parseLeaderHolder reads the lease value and refuses anything else', () => {
    expect(parseLeaderHolder('{"nodeId":"n1","epoch":4}')).toEqual({ nodeId: 'n1', epoch: 4 });
    expect(parseLeaderHolder(null)).toBeUndefined();
    expect(parseLeaderHolder('{"nodeId":"n1","epoch":0}')).toBeUndefined();
    expect(parseLeaderHolder('not json')).toBeUndefined();
  });

  it('parseLeaderHistoryEntry coerces the stream fields', () => {
    expect(parseLeaderHistoryEntry('1-0', ['event', 'acquired', 'nodeId', 'n2', 'epoch', '5', 'ts', '1700000000000'])).toEqual({
      id: '1-0',
      event: 'acquired',
      nodeId: 'n2',
      epoch: 5,
      ts: 1_700_000_000_000,
    });
    expect(parseLeaderHistoryEntry('1-0', ['event', 'crowned', 'nodeId', 'n2', 'epoch', '5', 'ts', '1'])).toBeUndefined();
    expect(parseLeaderHistoryEntry('1-0', ['event', 'released', 'nodeId', 'n2'])).toBeUndefined();
  });

  it('parseRegistryEntry and parseLatencySummary skip malformed values', () => {
    expect(parseRegistryEntry('{"id":"n1"}')).toBeUndefined();
    expect(parseRegistryEntry('{')).toBeUndefined();
    expect(parseLatencySummary('{"nodeId":"n1","ts":1,"windowMs":1000,"origins":{}}')).toEqual({ nodeId: 'n1', ts: 1, windowMs: 1000, origins: {} });
    expect(parseLatencySummary(null)).toBeUndefined();
    expect(parseLatencySummary('{"nodeId":"N 1"}')).toBeUndefined();
  });

  it('parseBusMessage splits `<stream id> <frame>`', () => {
    expect(parseBusMessage('1700000000000-3 abc.{}')).toEqual({ streamId: '1700000000000-3', frame: 'abc.{}' });
    expect(parseBusMessage('no-space')).toBeUndefined();
    expect(parseBusMessage('x-1 abc')).toBeUndefined();
  });

  it('openFrameUnverified parses without checking the signature', () => {
    const payload = JSON.stringify({
      v: 1,
      id: 'ybndrfg8ejkmcpqxot1uwisza3',
      origin: 'n1',
      originSeq: 1,
      ts: 5,
      kind: 'typing',
      broadcast: { omit_users: null, user_id: '', channel_id: 'c', team_id: '' },
      data: {},
    });
    const opened = openFrameUnverified(`${'0'.repeat(64)}.${payload}`);
    expect(opened?.payload).toBe(payload);
    expect(opened?.signature).toBe('0'.repeat(64));
    expect(opened?.envelope.kind).toBe('typing');
    expect(openFrameUnverified(`${'0'.repeat(63)}.${payload}`)).toBeUndefined();
    expect(openFrameUnverified(`${'0'.repeat(64)}.{"v":1}`)).toBeUndefined();
  });
});
