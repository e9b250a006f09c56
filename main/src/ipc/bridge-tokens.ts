import { createHash, randomBytes } from 'node:crypto';

/**
 * The web bridge's tokens. Every token is single use:
 * - the launch token (printed in the console URL's fragment, `#token=...`) opens the first
 *   connection and is burnt by it;
 * - each authenticated connection is then given a session token (in its welcome frame), which
 *   the same tab presents once to reconnect, and which is burnt by that reconnect in turn (which
 *   receives the next one). A tab thus holds a chain of one-time tokens; nothing else can join.
 * Tokens are 32 random bytes, base64url. Only their SHA-256 digests are kept, so a lookup's
 * timing reveals nothing about a token.
 */

/** How long an unused session token stays valid, ms. @default 43200000 (12 h) */
export const SESSION_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/** Session tokens outstanding at most; issuing one more forgets the oldest. @default 64 */
export const MAX_SESSION_TOKENS = 64;

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Options of {@link BridgeTokens}. */
export interface BridgeTokensOptions {
  /** @default SESSION_TOKEN_TTL_MS */
  sessionTtlMs?: number;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
  /** The launch token to use instead of a random one (tests). */
  launchToken?: string;
}

/**
 * The launch token and the session tokens of one bridge.
 * @example
 * const tokens = new BridgeTokens();
 * console.log(`http://127.0.0.1:${port}/#token=${tokens.launchToken}`);
 * if (tokens.consume(presented)) socket.send(welcome(tokens.issueSession()));
 */
export class BridgeTokens {
  /** The one-time token of the first connection. */
  readonly launchToken: string;
  #launchDigest: string | undefined;
  /** Digest -> expiry (epoch ms), oldest first. */
  readonly #sessions = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: BridgeTokensOptions = {}) {
    this.launchToken = options.launchToken ?? newToken();
    this.#launchDigest = digest(this.launchToken);
    this.#ttlMs = options.sessionTtlMs ?? SESSION_TOKEN_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Whether `token` is the unused launch token or an unexpired session token; if so it is burnt. */
  consume(token: unknown): boolean {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return false;
    const presented = digest(token);
    if (this.#launchDigest !== undefined && presented === this.#launchDigest) {
      this.#launchDigest = undefined;
      return true;
    }
    const expiry = this.#sessions.get(presented);
    if (expiry === undefined) return false;
    this.#sessions.delete(presented);
    return expiry > this.#now();
  }

  /** A new session token for a connection that has just authenticated. */
  issueSession(): string {
    const token = newToken();
    const now = this.#now();
    for (const [key, expiry] of this.#sessions) if (expiry <= now) this.#sessions.delete(key);
    while (this.#sessions.size >= MAX_SESSION_TOKENS) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(digest(token), now + this.#ttlMs);
    return token;
  }

  /** Whether the launch token is still unused. */
  get launchTokenUnused(): boolean {
    return this.#launchDigest !== undefined;
  }
}
