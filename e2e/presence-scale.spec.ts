import { expect, test, type Page } from '@playwright/test';
import { openView } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { fakePresence } from './fixtures/fake-presence.js';
import { saveScreenshot } from './fixtures/screenshots.js';

/**
 * The online-user list at 10,000 users (served synthetically on the bridge socket; everything
 * else is the real console): only the rows on screen exist, the last user is one scroll away,
 * search narrows it at once, and scrolling keeps frames coming.
 */

test.describe.configure({ mode: 'serial' });

const TOTAL = 10_000;
let env: ConsoleEnvironment;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(1);
  page = await browser.newPage();
  await fakePresence(page, TOTAL);
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await page?.close();
  await env?.stop();
});

test('renders only the visible rows of 10,000 users and reaches the last one', async () => {
  await openView(page, 'Presence');
  await expect(page.getByRole('status').filter({ hasText: '10,000 users online' })).toBeVisible();
  const list = page.getByRole('list', { name: 'Online users' });
  await expect(list.getByRole('listitem').filter({ hasText: 'user-00001' })).toBeVisible();
  expect(await list.getByRole('listitem').count()).toBeLessThan(60);
  await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(list.getByRole('listitem').filter({ hasText: 'user-10000' })).toBeVisible({ timeout: 5_000 });
  expect(await list.getByRole('listitem').count()).toBeLessThan(60);
  await saveScreenshot(page, '50-presence-10000-users');
});

test('keeps frames coming while scrolling through all of them', async () => {
  const list = page.getByRole('list', { name: 'Online users' });
  const frames = await list.evaluate(
    (element) =>
      new Promise<number[]>((resolve) => {
        const times: number[] = [];
        element.scrollTop = 0;
        const step = (t: number) => {
          times.push(t);
          element.scrollTop += element.scrollHeight / 120;
          if (times.length < 120) requestAnimationFrame(step);
          else resolve(times.slice(1).map((time, i) => time - times[i]!));
        };
        requestAnimationFrame(step);
      }),
  );
  const sorted = [...frames].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  test.info().annotations.push({ type: 'frame time', description: `median ${median.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms over ${frames.length} frames` });
  // A whole-list scroll in 120 frames; a list that rendered every row would take seconds per frame.
  // The bound only tells those apart: on a loaded CI machine a virtualized frame took 117 ms.
  expect(median).toBeLessThan(400);
});

test('narrows the list with a search', async () => {
  await page.getByRole('searchbox', { name: 'Search users' }).fill('user-0999');
  await expect(page.getByRole('status').filter({ hasText: '10 users matching' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Online users' }).getByRole('listitem')).toHaveCount(10);
});
