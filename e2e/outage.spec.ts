import { expect, test, type Page } from '@playwright/test';
import { nodeRow, openView } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { saveScreenshot } from './fixtures/screenshots.js';

/**
 * Redis, then Postgres, go away under the console: a banner says so while the views keep their
 * last figures, and when each is back the console recovers by itself, without a reload.
 */

test.describe.configure({ mode: 'serial' });

let env: ConsoleEnvironment;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(3);
  page = await browser.newPage();
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await page?.close();
  await env?.stop();
});

test('shows a banner when Redis stops, and keeps the last figures on screen', async () => {
  await openView(page, 'Overview');
  await expect(page.getByRole('group', { name: 'Nodes up' })).toContainText('3 / 3');
  await env.redis.stop();
  const banner = page.getByRole('alert', { name: 'Redis unreachable' });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText('Redis is unreachable');
  await expect(page.getByRole('group', { name: 'Redis unreachable' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Nodes' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByRole('list', { name: 'Alerts' })).toContainText('Redis is unreachable');
  await saveScreenshot(page, '30-redis-down-overview');
  await openView(page, 'Nodes');
  await expect(banner).toBeVisible();
  await expect(page.getByRole('table', { name: 'Nodes' })).toBeVisible();
  await saveScreenshot(page, '31-redis-down-nodes');
});

test('recovers by itself when Redis is back', async () => {
  await env.redis.start();
  await expect(page.getByRole('alert', { name: 'Redis unreachable' })).toBeHidden({ timeout: 30_000 });
  for (const id of ['n1', 'n2', 'n3']) await expect(nodeRow(page, id)).toHaveAttribute('data-state', 'active', { timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Nodes' }).getByRole('row').filter({ hasText: '★ leader' })).toHaveCount(1, { timeout: 15_000 });
  await openView(page, 'Overview');
  await expect(page.getByRole('group', { name: 'Redis reachable' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'All clear' })).toBeVisible({ timeout: 15_000 });
  await saveScreenshot(page, '32-redis-back-overview');
});

test('shows a banner when Postgres is out of reach, and recovers when it is back', async () => {
  await openView(page, 'Overview');
  await env.postgresProxy.stop();
  const banner = page.getByRole('alert', { name: 'Postgres unreachable' });
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('group', { name: 'Postgres unreachable' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Nodes' }).getByRole('listitem')).toHaveCount(3);
  await saveScreenshot(page, '33-postgres-down-overview');
  await env.postgresProxy.start();
  await expect(banner).toBeHidden({ timeout: 20_000 });
  await expect(page.getByRole('group', { name: 'Postgres reachable' })).toBeVisible();
});
