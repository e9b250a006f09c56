import { describe, expect, it } from 'vitest';
import { leaderSafetyMarginMs } from './leader-lease.js';

describe('leaderSafetyMarginMs', () => {
  it('is a sixth of the TTL, never under 200 ms', () => {
    expect(leaderSafetyMarginMs(3_000)).toBe(500);
    expect(leaderSafetyMarginMs(600)).toBe(200);
  });
});
