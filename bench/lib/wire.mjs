// What travels in a bench post, and how a receiver recognises it cheaply. The post's message is
// `sbb:<phase>:<seq>:<channel>:<sentAtUs>`: only [a-z0-9:], so it appears verbatim in the
// frame whatever JSON escaping wraps it (Switchboard sends `data.post` as a JSON string inside
// the event's JSON). A receiver finds it with indexOf instead of parsing ~1 KB of JSON twice per
// delivery, which on a 2-core machine would take CPU from the servers being measured.

const MARKER = 'sbb:';

/** The message of bench post `seq` of `phase` to `channel`, stamped `sentAtUs`. */
export function benchMessage(phase, seq, channel, sentAtUs) {
  return `${MARKER}${phase}:${seq}:${channel}:${sentAtUs}`;
}

/**
 * The four numbers of the bench message inside a frame, or undefined when the frame holds none.
 * @example parseBenchMessage('{"event":"posted",...sbb:3:17:0:12345...}') // [3, 17, 0, 12345]
 */
export function parseBenchMessage(frame) {
  const start = frame.indexOf(MARKER);
  if (start < 0) return undefined;
  const out = [0, 0, 0, 0];
  let field = 0;
  let digits = 0;
  for (let i = start + MARKER.length; i < frame.length; i += 1) {
    const code = frame.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      out[field] = out[field] * 10 + (code - 48);
      digits += 1;
    } else if (code === 58 && field < 3 && digits > 0) {
      field += 1;
      digits = 0;
    } else break;
  }
  return field === 3 && digits > 0 ? out : undefined;
}

/** The trailing `"seq":N}` of a Switchboard event frame, or -1. */
export function trailingSeq(frame) {
  const at = frame.lastIndexOf('"seq":');
  if (at < 0) return -1;
  const value = Number.parseInt(frame.slice(at + 6), 10);
  return Number.isSafeInteger(value) ? value : -1;
}
