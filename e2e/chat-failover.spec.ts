import { expect, test, type Browser, type Page } from '@playwright/test';
import { clusterKeys } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { startChatEnvironment, type ChatEnvironment } from './fixtures/chat-environment.js';
import { LOCAL_CLUSTER } from './fixtures/environment.js';
import { logIn, messageTexts, nodeOf, openChannel, send } from './fixtures/chat-page.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { createUser, type ChatUser } from './fixtures/users.js';

/**
 * The end users' web client through a node crash: three nodes behind HAProxy, two browser pages
 * as two users whose sockets sit on different nodes, chatting in one channel. The node under one
 * page is SIGKILLed while messages keep flowing from the other side; that page shows the calm
 * reconnecting banner, reconnects through HAProxy to a live node, and both pages end with every
 * message exactly once, in the order the server took them. Twice: once where the new node resumes
 * the socket's stream (the usual path), once where it cannot (the checkpoint is gone) and the
 * page catches up with `since`.
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

/** Alice's and Bob's pages in the relay channel, their sockets on different nodes. */
async function pagesOnDifferentNodes(browser: Browser): Promise<{ pageA: Page; pageB: Page; nodeA: string; nodeB: string }> {
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
  return { pageA, pageB, nodeA, nodeB };
}

/**
 * Alice and Bob chat; the node under Alice's page is SIGKILLed (and `beforeReconnect` runs at
 * once) while Bob keeps writing; Alice's page shows the banner, reconnects through HAProxy, and
 * they chat on. Returns Alice's page and every message, in the order the server took them.
 */
async function chatThroughKill(browser: Browser, round: string, beforeReconnect: () => Promise<void>): Promise<{ pageA: Page; pageB: Page; sent: string[] }> {
  const started = Date.now();
  const mark = (what: string) => console.log(`[chat-failover ${round}] ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  const { pageA, pageB, nodeA, nodeB } = await pagesOnDifferentNodes(browser);
  mark(`alice on ${nodeA}, bob on ${nodeB}`);
  const sent = await messageTexts(pageA);
  const say = async (page: Page, text: string) => {
    await send(page, text);
    sent.push(text);
  };
  for (let i = 1; i <= 4; i += 1) {
    await say(pageA, `${round}: alice ${i}`);
    await say(pageB, `${round}: bob ${i}`);
  }
  await expect.poll(() => messageTexts(pageA)).toEqual(sent);
  await saveScreenshot(pageA, `chat-failover-${round}-before`);

  // Alice's node dies while her machine is briefly off the network too, so Bob's next messages are
  // surely written while her page is cut off: it must get them from the resume or the backfill.
  const banner = pageA.getByTestId('reconnecting-banner');
  await pageA.context().setOffline(true);
  await env.kill(nodeA);
  await beforeReconnect();
  mark(`killed ${nodeA}`);
  await expect(banner).toBeVisible({ timeout: 20_000 });
  mark('reconnecting banner shown');
  await saveScreenshot(pageA, `chat-failover-${round}-reconnecting`);
  for (let i = 5; i <= 7; i += 1) await say(pageB, `${round}: bob ${i}`);
  await pageA.context().setOffline(false);

  // Alice reconnects through HAProxy to a live node; the banner goes; her messages go through.
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await expect(pageA.getByTestId('node-id')).not.toHaveText(nodeA, { timeout: 30_000 });
  const nodeAfter = await nodeOf(pageA);
  expect(Object.keys(env.nodes)).toContain(nodeAfter);
  mark(`alice reconnected on ${nodeAfter}`);
  for (let i = 5; i <= 7; i += 1) {
    await say(pageA, `${round}: alice ${i}`);
    await say(pageB, `${round}: bob ${i + 3}`);
  }
  mark('all sent');

  // Both pages: every message exactly once, in the order the server took them, nothing pending.
  await expect.poll(() => messageTexts(pageA), { timeout: 30_000 }).toEqual(sent);
  await expect.poll(() => messageTexts(pageB), { timeout: 30_000 }).toEqual(sent);
  await expect(pageA.getByTestId('pending-message')).toHaveCount(0);
  await expect(pageB.getByTestId('pending-message')).toHaveCount(0);
  expect(new Set(sent).size).toBe(sent.length);
  await saveScreenshot(pageA, `chat-failover-${round}-after-alice`);
  await saveScreenshot(pageB, `chat-failover-${round}-after-bob`);
  return { pageA, pageB, sent };
}

test('two users on different nodes keep every message, once and in order, through a node kill (resumed)', async ({ browser }) => {
  const { pageA, pageB, sent } = await chatThroughKill(browser, 'resume', async () => undefined);
  // The new node resumed Alice's stream (same connection_id, no hello): nothing needed fetching.
  await expect(pageA.getByTestId('node-indicator')).toHaveAttribute('data-resumed', '1');
  await expect(pageA.getByTestId('node-indicator')).toHaveAttribute('data-backfills', '0');

  // A reload (fresh history from the server) shows the same list: nothing was only local.
  await pageA.reload();
  await openChannel(pageA, 'relay');
  await expect.poll(() => messageTexts(pageA), { timeout: 30_000 }).toEqual(sent);
  await pageA.context().close();
  await pageB.context().close();
});

test('when the cluster cannot resume the socket, the page catches up with since: still every message once, in order', async ({ browser }) => {
  const redis = new Redis(env.redisUrl);
  try {
    const { pageA, pageB } = await chatThroughKill(browser, 'backfill', async () => {
      // The resume checkpoints are gone (as after a long outage or a trimmed stream): the node Alice
      // reaches must give her a new connection_id, and her page must fetch what it missed.
      const keys = await redis.keys(clusterKeys(LOCAL_CLUSTER).connection('*'));
      if (keys.length > 0) await redis.del(...keys);
    });
    await expect(pageA.getByTestId('node-indicator')).toHaveAttribute('data-backfills', '1');
    await expect(pageA.getByTestId('node-indicator')).toHaveAttribute('data-resumed', '0');
    await pageA.context().close();
    await pageB.context().close();
  } finally {
    redis.disconnect();
  }
});
