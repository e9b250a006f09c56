import { expect, test, type Page } from '@playwright/test';
import type { WsClient } from '../cluster-node/test/support/ws-client.js';
import { leaderInTable, nodeRow, openView, statValue } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { connectUser, createUser, startChatter, type ChatUser } from './fixtures/users.js';

/**
 * An operator opens the console on a live three-node cluster: sees every node and the leader,
 * watches presence follow clients, and latency fill in; every view is captured.
 */

test.describe.configure({ mode: 'serial' });

let env: ConsoleEnvironment;
let page: Page;
let alice: ChatUser;
let bob: ChatUser;
const sockets: WsClient[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(3);
  alice = await createUser(env.balancer.url, 'alice');
  bob = await createUser(env.balancer.url, 'bob');
  page = await browser.newPage();
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
  await page?.close();
  await env?.stop();
});

test('lists three active nodes with exactly one leader', async () => {
  await openView(page, 'Overview');
  await expect(page.getByRole('group', { name: 'Nodes up' })).toContainText('3 / 3');
  await expect(page.getByRole('list', { name: 'Nodes' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText(/★ Leader · epoch \d+ · term/)).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: 'All clear' })).toBeVisible();
  await saveScreenshot(page, '01-overview');
  await openView(page, 'Nodes');
  for (const id of ['n1', 'n2', 'n3']) await expect(nodeRow(page, id)).toHaveAttribute('data-state', 'active');
  const leader = await leaderInTable(page);
  expect(['n1', 'n2', 'n3']).toContain(leader);
  await saveScreenshot(page, '02-nodes');
});

test('counts users up when clients connect and down when they leave', async () => {
  await openView(page, 'Presence');
  await expect.poll(() => statValue(page, 'Users online')).toBe('0');
  sockets.push(await connectUser(env.nodes.n1!, alice));
  const bobSocket = await connectUser(env.nodes.n2!, bob);
  await expect.poll(() => statValue(page, 'Users online')).toBe('2');
  const users = page.getByRole('list', { name: 'Online users' });
  await expect(users.getByRole('listitem').filter({ hasText: 'alice' })).toContainText('n1');
  await expect(users.getByRole('listitem').filter({ hasText: 'bob' })).toContainText('n2');
  await expect(page.getByRole('table', { name: 'Users per node' }).getByRole('row', { name: /n2/ })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search users' }).fill('ali');
  await expect(users.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search users' }).fill('');
  await bobSocket.close();
  await expect.poll(() => statValue(page, 'Users online')).toBe('1');
  await expect(page.getByRole('img', { name: /^Users online over time/ })).toBeVisible();
  await saveScreenshot(page, '03-presence');
});

test('fills the latency charts, the matrix and the probe chart', async () => {
  const chatter = await startChatter(Object.values(env.nodes), alice);
  try {
    await openView(page, 'Latency');
    const matrix = page.getByRole('table', { name: /Latency matrix/ });
    await expect(matrix.getByRole('cell', { name: /p99 \d/ })).toHaveCount(6, { timeout: 30_000 });
    const allPairs = page.getByRole('img', { name: /^p99 of every origin→receiver pair/ });
    await expect(allPairs).toBeVisible({ timeout: 20_000 });
    await expect.poll(async () => Number(await allPairs.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
    await expect(page.getByRole('img', { name: /^Latency of n\d→n\d/ })).toBeVisible();
    await page.getByRole('button', { name: 'Run probe' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'seen everywhere' })).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Run probe' }).click();
    await expect(page.getByRole('img', { name: /^End-to-end probe/ })).toBeVisible({ timeout: 20_000 });
    await saveScreenshot(page, '04-latency');
  } finally {
    chatter.stop();
  }
});

test('shows the event stream, the leadership and the profiles', async () => {
  await openView(page, 'Events');
  await expect(page.getByRole('button', { name: /^posted/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Events, newest first' }).getByRole('listitem').first()).toBeVisible();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  await saveScreenshot(page, '05-events');
  await page.getByRole('button', { name: 'Resume' }).click();
  await openView(page, 'Leadership');
  await expect(page.getByRole('table', { name: 'Leadership terms' }).getByRole('row', { name: /epoch/ })).not.toHaveCount(0);
  await saveScreenshot(page, '06-leadership');
  await openView(page, 'Profiles');
  await expect(page.getByRole('table', { name: 'Profiles' }).getByRole('row', { name: /local/ })).toContainText('watching');
  await saveScreenshot(page, '07-profiles');
});

test('switches views with the keyboard and the theme with t', async () => {
  await page.keyboard.press('2');
  await expect(page.getByRole('heading', { level: 2, name: 'Nodes' })).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  const before = await page.locator('html').getAttribute('data-theme');
  await page.keyboard.press('t');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', before ?? '');
  await saveScreenshot(page, `08-overview-${await page.locator('html').getAttribute('data-theme')}`);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();
});
