import { expect, test, type Browser, type Page } from '@playwright/test';
import { startChatEnvironment, type ChatEnvironment } from './fixtures/chat-environment.js';
import { logIn, messageTexts, nodeOf, openChannel, send } from './fixtures/chat-page.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { createUser, type ChatUser } from './fixtures/users.js';

/**
 * The end users' web client through a node crash: three nodes behind HAProxy, two browser pages
 * as two users whose sockets sit on different nodes, chatting in one channel. The node under one
 * page is SIGKILLed while messages keep flowing from both sides; that page shows the calm
 * reconnecting banner, reconnects through HAProxy to a live node, and both pages end with every
 * message exactly once, in the order the server took them.
 */

let env: ChatEnvironment;
let alice: ChatUser;
let bob: ChatUser;

async function api(path: string, user: ChatUser, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${env.haproxy.url}/api/v4${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function openPage(browser: Browser, user: ChatUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[${user.username}] page error: ${err.message}`));
  await logIn(page, env.haproxy.url, user.username);
  await openChannel(page, 'relay');
  return page;
}

test.beforeAll(async () => {
  env = await startChatEnvironment(3);
  alice = await createUser(env.haproxy.url, 'alice');
  bob = await createUser(env.haproxy.url, 'bob');
  const me = await api('/users/me', bob);
  const team = await api('/teams', alice, { name: 'failover', display_name: 'Failover', type: 'O' });
  await api(`/teams/${team.id}/members`, bob, { team_id: team.id, user_id: me.id });
  const channel = await api('/channels', alice, { team_id: team.id, name: 'relay', display_name: 'Relay', type: 'O' });
  await api(`/channels/${channel.id}/members`, bob, { user_id: me.id });
});

test.afterAll(async () => {
  await env?.stop();
});

test('two users on different nodes keep every message, once and in order, through a node kill', async ({ browser }) => {
  const pageA = await openPage(browser, alice);
  const pageB = await openPage(browser, bob);

  // Round robin puts each socket somewhere; reload Bob's page until the two sockets sit on different nodes.
  const nodeA = await nodeOf(pageA);
  let nodeB = await nodeOf(pageB);
  for (let attempt = 0; nodeB === nodeA && attempt < 12; attempt += 1) {
    await pageB.reload();
    await openChannel(pageB, 'relay');
    nodeB = await nodeOf(pageB);
  }
  expect(nodeB, 'the two pages should be on different nodes').not.toBe(nodeA);

  const sent: string[] = [];
  const say = async (page: Page, text: string) => {
    await send(page, text);
    sent.push(text);
  };
  for (let i = 1; i <= 4; i += 1) {
    await say(pageA, `alice ${i}`);
    await say(pageB, `bob ${i}`);
  }
  await expect.poll(() => messageTexts(pageA)).toEqual(sent);
  await saveScreenshot(pageA, 'chat-failover-before');

  // Watch for the banner before the kill, so even a quick reconnect is seen.
  const banner = pageA.getByTestId('reconnecting-banner');
  const bannerShown = banner.waitFor({ state: 'visible', timeout: 20_000 });
  await env.kill(nodeA);
  // Messages keep flowing from the survivor's side while Alice's page is cut off.
  const flowing = (async () => {
    for (let i = 5; i <= 7; i += 1) await say(pageB, `bob ${i}`);
  })();
  await bannerShown;
  await saveScreenshot(pageA, 'chat-failover-reconnecting');
  await flowing;

  // Alice reconnects through HAProxy to a live node; the banner goes; her messages go through.
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await expect(pageA.getByTestId('node-id')).not.toHaveText(nodeA, { timeout: 30_000 });
  const nodeAfter = await nodeOf(pageA);
  expect(Object.keys(env.nodes)).toContain(nodeAfter);
  for (let i = 5; i <= 7; i += 1) {
    await say(pageA, `alice ${i}`);
    await say(pageB, `bob ${i + 3}`);
  }

  // Both pages: every message exactly once, in the order the server took them, nothing pending.
  await expect.poll(() => messageTexts(pageA), { timeout: 30_000 }).toEqual(sent);
  await expect.poll(() => messageTexts(pageB), { timeout: 30_000 }).toEqual(sent);
  await expect(pageA.getByTestId('pending-message')).toHaveCount(0);
  await expect(pageB.getByTestId('pending-message')).toHaveCount(0);
  expect(new Set(sent).size).toBe(sent.length);
  await saveScreenshot(pageA, 'chat-failover-after-alice');
  await saveScreenshot(pageB, 'chat-failover-after-bob');

  // A reload (fresh history from the server) shows the same list: nothing was only local.
  await pageA.reload();
  await openChannel(pageA, 'relay');
  await expect.poll(() => messageTexts(pageA), { timeout: 30_000 }).toEqual(sent);
});
