import { describe, expect, it } from 'vitest';
import { signFrame, verifyFrame } from './signing.js';

describe('envelope signing', () => {
  const secret = 'a-cluster-secret-of-length';
  it('verifies what it signed and returns the payload', () => {
    expect(verifyFrame(secret, signFrame(secret, '{"v":1}'))).toBe('{"v":1}');
  });
  it('refuses another secret, a changed payload, and malformed frames', () => {
    const frame = signFrame(secret, '{"v":1}');
    expect(verifyFrame('another-secret-entirely', frame)).toBeUndefined();
    expect(verifyFrame(secret, `${frame.slice(0, 65)}{"v":2}`)).toBeUndefined();
    expect(verifyFrame(secret, '{"v":1}')).toBeUndefined();
    expect(verifyFrame(secret, `${'z'.repeat(64)}.{}`)).toBeUndefined();
  });
});
