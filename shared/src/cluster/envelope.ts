import { z } from 'zod';
import { clusterEventSchema } from './events.js';

/** Version of the envelope format; receivers drop other versions. */
export const ENVELOPE_VERSION = 1;

/**
 * The bus envelope: one cluster event with where and when it came from. `originSeq` numbers
 * each node's own publications from 1, so a receiver sees a gap; `ts` is the origin's
 * Redis-corrected clock in epoch ms with microsecond decimals, for propagation latency (on one
 * host, whole milliseconds could not resolve a hop that takes a fraction of one).
 */
export const envelopeSchema = z.intersection(
  z.object({
    v: z.literal(ENVELOPE_VERSION),
    id: z.string().regex(/^[a-z0-9]{26}$/),
    origin: z.string().min(1).max(63),
    originSeq: z.number().int().positive(),
    ts: z.number().finite().nonnegative(),
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

/**
 * A message of the bus channel, `<stream id> <signed frame>`, split in two; undefined when it
 * has not that form.
 * @example parseBusMessage('1700000000000-0 ab12….{"v":1}') // { streamId: '1700000000000-0', frame: 'ab12….{"v":1}' }
 */
export function parseBusMessage(message: string): { streamId: string; frame: string } | undefined {
  const space = message.indexOf(' ');
  if (space < 0) return undefined;
  const streamId = message.slice(0, space);
  if (!/^\d+-\d+$/.test(streamId)) return undefined;
  return { streamId, frame: message.slice(space + 1) };
}

/**
 * Reads a signed frame WITHOUT checking its signature, for observers that do not hold the
 * cluster secret: the signature, the exact payload bytes (to verify later if a secret is at
 * hand) and the parsed envelope. Undefined when the frame is malformed or fails the schema.
 * Never act on an envelope read this way: anyone who can publish to Redis can forge it.
 * @example const opened = openFrameUnverified(fields[1]); if (opened) show(opened.envelope);
 */
export function openFrameUnverified(frame: string): { signature: string; payload: string; envelope: Envelope } | undefined {
  const parts = splitSignedFrame(frame);
  if (!parts) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(parts.payload);
  } catch {
    return undefined;
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? { ...parts, envelope: parsed.data } : undefined;
}
