import { expect, test, type Page } from '@playwright/test';
import { nodeRow, openView } from './fixtures/console-page.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { startSshEnvironment, type SshEnvironment } from './fixtures/ssh-environment.js';

/**
 * The same operator flow over SSH: a profile with two hosts behind Debian's sshd (pinned host
 * key, passphrase-protected key); the console lists every node with its host and drains one.
 */

test.describe.configure({ mode: 'serial' });

let env: SshEnvironment;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startSshEnvironment();
  page = await browser.newPage();
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await page?.close();
  await env?.stop();
});

test('lists the nodes of both SSH hosts', async () => {
  await openView(page, 'Nodes');
  for (const [id, host] of [['n1', 'web1'], ['n2', 'web1'], ['n3', 'web2']] as const) {
    await expect(nodeRow(page, id)).toHaveAttribute('data-state', 'active');
    await expect(nodeRow(page, id)).toContainText(host);
  }
  await expect(page.getByRole('list', { name: 'Hosts not answering' })).toHaveCount(0);
  await saveScreenshot(page, '40-ssh-nodes');
});

test('drains a node over SSH and audits it', async () => {
  await nodeRow(page, 'n2').getByRole('button', { name: 'Drain n2' }).click();
  await page.getByRole('dialog', { name: 'Drain node n2?' }).getByRole('button', { name: 'Drain n2' }).click();
  await expect(page.getByRole('log', { name: 'Node actions' })).toContainText('Drained n2 on web1', { timeout: 30_000 });
  await expect(nodeRow(page, 'n2')).toHaveAttribute('data-state', 'drained');
  const entry = page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'drain' }).first();
  await expect(entry).toContainText('e2e-ssh');
  await expect(entry).toContainText('web1');
  await expect(entry).toContainText('ok');
  await saveScreenshot(page, '41-ssh-after-drain');
});
