import { describe, expect, it } from 'vitest';
import { probeUsername } from './probe-fleet.js';

/** Mattermost's (and the node's) username rule: 3-22 characters, a lowercase letter first. */
const USERNAME = /^[a-z][a-z0-9._-]{2,21}$/;

describe('probeUsername', () => {
  it('gives each probe password users of its own, stable across runs', () => {
    expect(probeUsername(0, 'switchboard-demo')).toBe(probeUsername(0, 'switchboard-demo'));
    expect(probeUsername(0, 'switchboard-demo')).not.toBe(probeUsername(0, 'generated-elsewhere'));
    expect(probeUsername(0, 'same')).not.toBe(probeUsername(1, 'same'));
    expect(probeUsername(2, 'same')).toMatch(/^drill-p3-[0-9a-f]{8}$/);
  });

  it('stays a valid username up to the largest probe count', () => {
    for (const index of [0, 9, 99]) expect(probeUsername(index, 'x'.repeat(200))).toMatch(USERNAME);
  });

  it('does not carry the password', () => {
    expect(probeUsername(0, 'hunter2hunter2')).not.toContain('hunter2');
  });
});
