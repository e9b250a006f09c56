import { createHmac, timingSafeEqual } from 'node:crypto';
import { splitSignedFrame } from '@switchboard/shared';

/** HMAC-SHA256 of a payload with the cluster secret, hex. */
export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** `<signature>.<payload>`: the form envelopes travel in. */
export function signFrame(secret: string, payload: string): string {
  return `${sign(secret, payload)}.${payload}`;
}

/**
 * The payload of a signed frame whose signature is valid, else undefined. The comparison is
 * constant-time, and nothing is parsed before the signature checks out.
 */
export function verifyFrame(secret: string, frame: string): string | undefined {
  const parts = splitSignedFrame(frame);
  if (!parts) return undefined;
  const expected = Buffer.from(sign(secret, parts.payload), 'hex');
  const actual = Buffer.from(parts.signature, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? parts.payload : undefined;
}
