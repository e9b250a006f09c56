import { describe, expect, it } from 'vitest';
import { encodeBase32, isId, newId } from './ids.js';

describe('ids', () => {
  it('makes 26-character ids from the Mattermost alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const id = newId();
      expect(id).toMatch(/^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(1000);
  });

  it('encodes known bytes the way Mattermost does', () => {
    expect(encodeBase32(new Uint8Array(16))).toBe('y'.repeat(26));
    expect(encodeBase32(new Uint8Array([0xff]))).toBe('9h');
  });

  it('recognises ids and refuses other strings', () => {
    expect(isId(newId())).toBe(true);
    expect(isId('short')).toBe(false);
    expect(isId('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(false);
    expect(isId("'; DROP TABLE posts; --xxxxx")).toBe(false);
    expect(isId(42)).toBe(false);
  });
});
