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

test('filters the event stream by kind and pattern', async () => {
  await openView(page, 'Events');
  const stream = page.getByRole('list', { name: 'Events, newest first' });
  await page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: /^posted/ }).click();
  await expect(page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: /^posted/ })).toHaveAttribute('aria-pressed', 'true');
  for (const row of await stream.getByRole('listitem').all()) await expect(row).toContainText('posted');
  await page.getByRole('searchbox', { name: 'Pattern' }).fill('no event says this');
  await expect(page.getByText('No event matches the filters')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Pattern' }).fill('TALK-');
  await expect(stream.getByRole('listitem').first()).toContainText('talk-');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByRole('group', { name: 'Kinds' })).toContainText('No kind seen yet');
});

test('validates a new profile inline and saves it once it is valid', async () => {
  await openView(page, 'Profiles');
  await page.getByRole('button', { name: 'New profile' }).click();
  const form = page.getByRole('form', { name: 'New profile' });
  await form.getByLabel('Profile name').fill('Bad Name');
  await form.getByLabel('Redis URL').fill('http://not-redis');
  await form.getByRole('button', { name: 'Add host' }).click();
  await form.getByLabel('Host name').fill('h1');
  await expect(form.getByLabel('Profile name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('must be 1-63 lowercase letters');
  await expect(form).toContainText('must be a redis:// or rediss:// URL');
  await expect(form).toContainText('is required unless local is true');
  await expect(form.getByRole('button', { name: 'Save profile' })).toBeDisabled();
  await saveScreenshot(page, '09-profile-validation');
  await form.getByLabel('Profile name').fill('staging');
  await form.getByLabel('Redis URL').fill('redis://10.0.0.5:6379');
  await form.getByLabel('Address').fill('10.0.0.6');
  await form.getByLabel('Nodes').fill('n1, n2');
  await expect(form.getByLabel('Profile name')).not.toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Save profile' }).click();
  await expect(form).toBeHidden();
  const staging = page.getByRole('table', { name: 'Profiles' }).getByRole('row', { name: /staging/ });
  await staging.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit profile staging' });
  await expect(edit.getByLabel('Address')).toHaveValue('10.0.0.6');
  await edit.getByLabel('API URL (balancer)').fill('ftp://nope');
  await expect(edit).toContainText('must be an http(s) URL');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeHidden();
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
