import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toObservedEvent } from './event-reader.js';

const SECRET = 'cluster-secret-of-some-length';

function frame(payload: object, secret = SECRET): string {
  const json = JSON.stringify(payload);
  return `${createHmac('sha256', secret).update(json).digest('hex')}.${json}`;
}

const envelope = {
  v: 1,
  id: 'ybndrfg8ejkmcpqxot1uwisza3',
  origin: 'n1',
  originSeq: 7,
  ts: 1_700_000_000_123,
  kind: 'posted',
  broadcast: { omit_users: null, user_id: '', channel_id: 'c'.repeat(26), team_id: 't'.repeat(26) },
  data: { post: '{"message":"hi"}' },
};

describe('toObservedEvent', () => {
  it('reads an envelope without the secret, marked unverified', () => {
    const event = toObservedEvent('1700000000123-0', frame(envelope));
    expect(event).toEqual({
      streamId: '1700000000123-0',
      id: envelope.id,
      kind: 'posted',
      origin: 'n1',
      originSeq: 7,
      ts: envelope.ts,
      channelId: 'c'.repeat(26),
      teamId: 't'.repeat(26),
      userId: '',
      data: envelope.data,
      verified: false,
    });
  });

  it('verifies the HMAC when given the secret, and says so when it does not match', () => {
    expect(toObservedEvent('1-0', frame(envelope), SECRET)?.verified).toBe(true);
    expect(toObservedEvent('1-0', frame(envelope, 'another-secret'), SECRET)?.verified).toBe(false);
    const tampered = frame(envelope).replace('"originSeq":7', '"originSeq":8');
    expect(toObservedEvent('1-0', tampered, SECRET)?.verified).toBe(false);
  });

  it('refuses what is not a signed envelope', () => {
    expect(toObservedEvent('1-0', 'not a frame')).toBeUndefined();
    expect(toObservedEvent('1-0', `${'a'.repeat(64)}.{not json`)).toBeUndefined();
    expect(toObservedEvent('1-0', frame({ ...envelope, v: 2 }))).toBeUndefined();
    expect(toObservedEvent('1-0', frame({ ...envelope, kind: 'unknown_kind' }))).toBeUndefined();
  });
});
