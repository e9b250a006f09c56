import { expect, test, type Page } from '@playwright/test';
import { nodeRow, openView, statValue } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { slowNodeActions } from './fixtures/slow-bridge.js';
import { createUser, roamingClient, type RoamingClient } from './fixtures/users.js';

/**
 * Maintenance: the operator drains a node with clients on it. The console asks first, shows the
 * drain in flight; the clients move to the other nodes, and the node stays in the table as drained.
 */

test.describe.configure({ mode: 'serial' });

let env: ConsoleEnvironment;
let page: Page;
const clients: RoamingClient[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(3);
  for (const name of ['carol', 'dave']) clients.push(await roamingClient(env.nodes.n3!, env.balancer.url, await createUser(env.balancer.url, name)));
  page = await browser.newPage();
  await slowNodeActions(page, 1_000);
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await page?.close();
  await env?.stop();
});

test('shows the clients on the node before the drain', async () => {
  await openView(page, 'Presence');
  await expect.poll(() => statValue(page, 'Users online')).toBe('2');
  await expect(page.getByRole('table', { name: 'Users per node' }).getByRole('row', { name: /n3/ })).toContainText('2');
  await saveScreenshot(page, '20-presence-before-drain');
});

test('drains n3 after confirmation; its clients move and it stays listed as drained', async () => {
  await openView(page, 'Nodes');
  await nodeRow(page, 'n3').getByRole('button', { name: 'Drain n3' }).click();
  const dialog = page.getByRole('dialog', { name: 'Drain node n3?' });
  await expect(dialog).toContainText('2 connections');
  await dialog.getByRole('button', { name: 'Drain n3' }).click();
  await expect(page.getByRole('progressbar', { name: 'Draining n3' })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Node actions' })).toContainText('Drained n3 on localhost', { timeout: 30_000 });
  await expect(nodeRow(page, 'n3')).toHaveAttribute('data-state', 'drained');
  await expect(nodeRow(page, 'n3').getByRole('button', { name: 'Start n3' })).toBeEnabled();
  await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'drain' }).first()).toContainText('n3');
  await saveScreenshot(page, '21-nodes-after-drain');
  await openView(page, 'Presence');
  await expect.poll(() => statValue(page, 'Users online'), { timeout: 20_000 }).toBe('2');
  const perNode = page.getByRole('table', { name: 'Users per node' });
  await expect(perNode.getByRole('row', { name: /n3/ })).toHaveCount(0, { timeout: 20_000 });
  await expect(perNode.getByRole('row', { name: /n[12]/ })).not.toHaveCount(0);
  expect(clients.every((client) => client.connections() >= 2)).toBe(true);
  await saveScreenshot(page, '22-presence-after-drain');
});
