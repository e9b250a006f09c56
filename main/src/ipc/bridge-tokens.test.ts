import { describe, expect, it } from 'vitest';
import { BridgeTokens, MAX_SESSION_TOKENS, newToken } from './bridge-tokens.js';

describe('BridgeTokens', () => {
  it('makes 32-byte base64url tokens', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
  });

  it('accepts the launch token once', () => {
    const tokens = new BridgeTokens();
    expect(tokens.consume(tokens.launchToken)).toBe(true);
    expect(tokens.launchTokenUnused).toBe(false);
    expect(tokens.consume(tokens.launchToken)).toBe(false);
  });

  it('refuses anything else', () => {
    const tokens = new BridgeTokens();
    for (const bad of [undefined, null, 42, '', 'x'.repeat(300), `${tokens.launchToken}x`, tokens.launchToken.slice(1)]) expect(tokens.consume(bad)).toBe(false);
    expect(tokens.launchTokenUnused).toBe(true);
  });

  it('chains session tokens: each works once', () => {
    const tokens = new BridgeTokens();
    tokens.consume(tokens.launchToken);
    const first = tokens.issueSession();
    expect(tokens.consume(first)).toBe(true);
    expect(tokens.consume(first)).toBe(false);
    const second = tokens.issueSession();
    expect(second).not.toBe(first);
    expect(tokens.consume(second)).toBe(true);
  });

  it('lets session tokens expire', () => {
    let now = 1_000;
    const tokens = new BridgeTokens({ sessionTtlMs: 100, now: () => now });
    const token = tokens.issueSession();
    now += 101;
    expect(tokens.consume(token)).toBe(false);
  });

  it('keeps at most MAX_SESSION_TOKENS, forgetting the oldest', () => {
    const tokens = new BridgeTokens();
    const issued = Array.from({ length: MAX_SESSION_TOKENS + 1 }, () => tokens.issueSession());
    expect(tokens.consume(issued[0])).toBe(false);
    expect(tokens.consume(issued.at(-1))).toBe(true);
  });
});
