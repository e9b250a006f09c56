import type { Post } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { changesSince } from './since-pages.js';

/** A fake channel: posts changed at given times; `since` answers like the node (update_at > since, earliest first, capped). */
function channel(updateTimes: number[], cap: number) {
  const posts = updateTimes.map((t, i) => ({ id: `p${i}`, update_at: t }) as Post);
  const asked: number[] = [];
  const fetchPage = async (since: number) => {
    asked.push(since);
    return posts.filter((p) => p.update_at > since).sort((a, b) => a.update_at - b.update_at).slice(0, cap);
  };
  return { posts, asked, fetchPage };
}

describe('catching up with since, page by page', () => {
  it('reads every change when there are more than one page holds', async () => {
    const times = Array.from({ length: 25 }, (_, i) => 1_000 + i * 10);
    const { fetchPage, asked } = channel(times, 10);
    const seen = new Set<string>();
    await changesSince(fetchPage, 0, (page) => page.forEach((p) => seen.add(p.id)), 10);
    expect(seen.size).toBe(25);
    expect(asked.length).toBe(3);
  });

  it('does not skip changes that share the millisecond at a page boundary', async () => {
    // Page 1 ends in the middle of three posts changed at 1,090.
    const times = [1_000, 1_010, 1_020, 1_030, 1_040, 1_050, 1_060, 1_070, 1_080, 1_090, 1_090, 1_090, 1_100];
    const { fetchPage } = channel(times, 10);
    const seen = new Set<string>();
    await changesSince(fetchPage, 0, (page) => page.forEach((p) => seen.add(p.id)), 10);
    expect(seen.size).toBe(times.length);
  });

  it('stops after one short page, and when a full page cannot move forward', async () => {
    const short = channel([5, 6, 7], 10);
    await changesSince(short.fetchPage, 0, () => undefined, 10);
    expect(short.asked).toEqual([0]);
    const stuck = channel(Array.from({ length: 30 }, () => 500), 10);
    await changesSince(stuck.fetchPage, 0, () => undefined, 10);
    expect(stuck.asked).toEqual([0, 499]);
  });
});
