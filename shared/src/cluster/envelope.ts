import { z } from 'zod';
import { clusterEventSchema } from './events.js';

/** Version of the envelope format; receivers drop other versions. */
export const ENVELOPE_VERSION = 1;

/**
 * The bus envelope: one cluster event with where and when it came from. `originSeq` numbers
 * each node's own publications from 1, so a receiver sees a gap; `ts` is the origin's
 * Redis-corrected clock in epoch ms, for propagation latency.
 */
export const envelopeSchema = z.intersection(
  z.object({
    v: z.literal(ENVELOPE_VERSION),
    id: z.string().regex(/^[a-z0-9]{26}$/),
    origin: z.string().min(1).max(63),
    originSeq: z.number().int().positive(),
    ts: z.number().int().nonnegative(),
  }),
  clusterEventSchema,
);

/** One envelope on the bus. */
export type Envelope = z.infer<typeof envelopeSchema>;

/**
 * On the wire an envelope travels as `<hex HMAC-SHA256 of the JSON>.<JSON>`, so the signature
 * is checked over the exact bytes before anything is parsed. Splits such a frame.
 * @example splitSignedFrame('ab12.{"v":1}') // { signature: 'ab12', payload: '{"v":1}' }
 */
export function splitSignedFrame(frame: string): { signature: string; payload: string } | undefined {
  const dot = frame.indexOf('.');
  if (dot !== 64) return undefined;
  const signature = frame.slice(0, dot);
  if (!/^[0-9a-f]{64}$/.test(signature)) return undefined;
  return { signature, payload: frame.slice(dot + 1) };
}
