import { describe, expect, it } from 'vitest';
import { Connection } from './connection.js';
import { rebuildConnection, type StreamSource } from './remote-resume.js';
import type { Recipients } from './recipients.js';

const checkpoint = { connectionId: 'c'.repeat(26), userId: 'u'.repeat(26), nextSeq: 3, streamId: '1000-0', nodeId: 'n1' };

/** An empty stream that says where a failover rewrote it. */
function source(rewritten: string | undefined): StreamSource {
  return { readStream: async () => [], oldestStreamId: async () => '900-0', rewrittenBefore: async () => rewritten };
}

const rebuild = (rewritten: string | undefined) =>
  rebuildConnection({
    checkpoint,
    userId: checkpoint.userId,
    sessionId: 's1',
    sequence: 3,
    upTo: '2000-0',
    source: source(rewritten),
    recipients: {} as Recipients,
    eventPrefix: () => '',
  });

describe('rebuildConnection after a Redis failover', () => {
  it('refuses a checkpoint from before the point where a failover rewrote the stream, so the client backfills', async () => {
    expect(await rebuild('1500-0')).toBe('stream_rewritten');
    expect(await rebuild('1000-1')).toBe('stream_rewritten');
  });

  it('resumes from a checkpoint at or after that point, or when no failover rewrote the stream', async () => {
    expect(await rebuild('1000-0')).toBeInstanceOf(Connection);
    expect(await rebuild('999-5')).toBeInstanceOf(Connection);
    expect(await rebuild(undefined)).toBeInstanceOf(Connection);
  });
});
