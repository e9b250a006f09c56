import { createHmac, timingSafeEqual } from 'node:crypto';
import { envelopeSchema, splitSignedFrame, type Envelope } from '@switchboard/shared';

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

/**
 * A signed frame's envelope, verified then validated; or why it was refused (`signature`:
 * forged or damaged; `malformed`: signed but not a valid envelope).
 */
export function openFrame(secret: string, frame: string): Envelope | 'signature' | 'malformed' {
  const payload = verifyFrame(secret, frame);
  if (payload === undefined) return 'signature';
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return 'malformed';
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : 'malformed';
}
