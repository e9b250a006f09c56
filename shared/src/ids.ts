/**
 * Mattermost-compatible identifiers: 26 characters of base32 (Mattermost's own alphabet)
 * over 16 random bytes, the same form `model.NewId()` produces.
 */

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const ID_PATTERN = /^[a-z0-9]{26}$/;

interface WebCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

function randomBytes(length: number): Uint8Array {
  const webCrypto = (globalThis as unknown as { crypto: WebCrypto }).crypto;
  return webCrypto.getRandomValues(new Uint8Array(length));
}

/**
 * Encodes bytes as unpadded base32 with Mattermost's alphabet.
 * @example encodeBase32(new Uint8Array(16)).length === 26
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * A new random 26-character id, as Mattermost's `model.NewId()`.
 * @example const postId = newId();
 */
export function newId(): string {
  return encodeBase32(randomBytes(16));
}

/**
 * Whether a value has the form of a Mattermost id (26 lowercase alphanumerics).
 * @example isId('ybndrfg8ejkmcpqxot1uwisza3') === true
 */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
