import { expect, test, type Page } from '@playwright/test';
import { leaderInTable, nodeRow, openView } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { slowNodeActions } from './fixtures/slow-bridge.js';

/**
 * Failover drill: the operator kills the leader from the Nodes view. The console asks first,
 * shows the kill in flight, marks the node gone, shows the new leader within seconds, and the
 * leadership timeline and the audit log tell what happened.
 */

test.describe.configure({ mode: 'serial' });

let env: ConsoleEnvironment;
let page: Page;
let leader: string;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(3);
  page = await browser.newPage();
  await slowNodeActions(page, 1_500);
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await page?.close();
  await env?.stop();
});

test('asks before killing the leader, naming it', async () => {
  await openView(page, 'Nodes');
  leader = await leaderInTable(page);
  await nodeRow(page, leader).getByRole('button', { name: `Kill ${leader}` }).click();
  const dialog = page.getByRole('dialog', { name: `Kill node ${leader}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('SIGKILL');
  await expect(dialog).toContainText('leader lease');
  await saveScreenshot(page, '10-kill-confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(nodeRow(page, leader)).toHaveAttribute('data-state', 'active');
});

test('kills it with progress, marks it gone, and shows a new leader within seconds', async () => {
  await nodeRow(page, leader).getByRole('button', { name: `Kill ${leader}` }).click();
  await page.getByRole('dialog', { name: `Kill node ${leader}?` }).getByRole('button', { name: `Kill ${leader}` }).click();
  await expect(page.getByRole('progressbar', { name: `Killing ${leader}` })).toBeVisible();
  await expect(nodeRow(page, leader).getByRole('button', { name: `Kill ${leader}` })).toBeDisabled();
  const killedAt = Date.now();
  await expect(page.getByRole('log', { name: 'Node actions' })).toContainText(`Killed ${leader} on localhost`);
  await expect(nodeRow(page, leader)).toHaveAttribute('data-state', 'gone');
  const rows = page.getByRole('table', { name: 'Nodes' }).getByRole('row').filter({ hasText: '★ leader' });
  await expect(rows).toHaveCount(1, { timeout: 10_000 });
  const next = await leaderInTable(page);
  expect(next).not.toBe(leader);
  expect(Date.now() - killedAt).toBeLessThan(10_000);
  await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'kill' }).first()).toContainText(leader);
  await saveScreenshot(page, '11-nodes-after-kill');
});

test('updates the leadership timeline and raises an alert for the missing node', async () => {
  await openView(page, 'Leadership');
  const terms = page.getByRole('table', { name: 'Leadership terms' });
  await expect(terms.getByRole('row', { name: /^Term of / })).toHaveCount(2);
  const oldTerm = terms.getByRole('row', { name: new RegExp(`^Term of ${leader}, epoch`) });
  await expect(oldTerm).toContainText(/leader stopped beating|lease lost/);
  // The gap without a live leader: from its last heartbeat to the next acquisition, about the lease TTL.
  await expect(oldTerm.getByRole('cell').last()).toHaveText(/^\d+ (ms|s)$/);
  await expect(terms.getByRole('row', { name: /^Term of / }).first()).toContainText('current');
  await expect(page.getByRole('img', { name: /^Leadership timeline/ })).toContainText(leader);
  await saveScreenshot(page, '12-leadership-after-failover');
  await openView(page, 'Overview');
  await expect(page.getByRole('list', { name: 'Alerts' })).toContainText(`Node ${leader} is missing`);
  await expect(page.getByRole('group', { name: 'Nodes up' })).toContainText('2 / 3');
  await saveScreenshot(page, '13-overview-node-missing');
});
