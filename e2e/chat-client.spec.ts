import { expect, test, type Browser, type Page } from '@playwright/test';
import { startChatEnvironment, type ChatEnvironment } from './fixtures/chat-environment.js';
import { logIn, messageTexts, openChannel, send } from './fixtures/chat-page.js';
import { saveScreenshot } from './fixtures/screenshots.js';
import { createUser, type ChatUser } from './fixtures/users.js';

/**
 * The end users' web client, as a person uses it, on two nodes behind HAProxy: sign up, join a
 * team, create a channel, write, edit and delete (by keyboard where a person would), browse and
 * join a channel and scroll back through its whole history, a direct message with its unread
 * count, presence dot and typing indicator across nodes, and the layout at 200% zoom.
 */

const HISTORY = 95;
let env: ChatEnvironment;
let alice: ChatUser;

async function api(path: string, user: ChatUser, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${env.haproxy.url}/api/v4${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function newPage(browser: Browser, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport, deviceScaleFactor: 2 } : {});
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
  return page;
}

test.beforeAll(async () => {
  env = await startChatEnvironment(2);
  alice = await createUser(env.haproxy.url, 'alice');
  const team = await api('/teams', alice, { name: 'acme', display_name: 'Acme', type: 'O' });
  const history = await api('/channels', alice, { team_id: team.id, name: 'history', display_name: 'History', type: 'O' });
  for (let i = 1; i <= HISTORY; i += 1) await api('/posts', alice, { channel_id: history.id, message: `history ${i}` });
});

test.afterAll(async () => {
  await env?.stop();
});

test('sign up, channels, edit and delete, history, direct messages, presence and typing', async ({ browser }) => {
  // Sign up through the form (Enter submits), then join the open team from the welcome screen.
  const carol = await newPage(browser);
  await carol.goto(env.haproxy.url);
  await expect(carol.getByRole('heading', { name: 'Log in to Switchboard' })).toBeVisible();
  await saveScreenshot(carol, 'chat-login');
  await carol.getByRole('button', { name: 'No account yet? Sign up' }).click();
  await carol.getByLabel('Username').fill('carol');
  await carol.getByLabel('Email').fill('carol@example.com');
  await carol.getByLabel('Password').fill('carol-Secret-123');
  await carol.getByLabel('Password').press('Enter');
  await expect(carol.getByTestId('me')).toHaveText('carol');
  await expect(carol.getByText('You are not in a team yet.')).toBeVisible();
  await carol.getByRole('button', { name: 'Join Acme' }).click();
  await expect(carol.locator('[data-channel="town-square"]')).toHaveAttribute('aria-current', 'page');
  await expect(carol.getByTestId('node-id')).toHaveText(/^n[12]$/);
  // One's own dot follows the page's connection.
  await expect(carol.locator('.me [data-status="online"]')).toBeVisible();

  // Create a channel; Escape closes a dialog without doing anything.
  await carol.getByRole('button', { name: 'Create a channel' }).click();
  await expect(carol.getByRole('dialog', { name: 'Create a channel' })).toBeVisible();
  await carol.keyboard.press('Escape');
  await expect(carol.getByRole('dialog')).toHaveCount(0);
  await carol.getByRole('button', { name: 'Create a channel' }).click();
  await carol.getByLabel('Name', { exact: true }).fill('Project X');
  await carol.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(carol.locator('[data-channel="project-x"]')).toHaveAttribute('aria-current', 'page');
  await expect(carol.getByRole('heading', { name: '# Project X' })).toBeVisible();

  // Write; edit the last message from the keyboard (Up in the empty composer, Enter saves); delete one.
  await send(carol, 'first draft');
  await send(carol, 'second thought');
  await send(carol, 'typo hre');
  await carol.locator('#composer-input').press('ArrowUp');
  const editor = carol.getByRole('textbox', { name: 'Edit message', exact: true });
  await expect(editor).toBeFocused();
  await editor.fill('typo here');
  await editor.press('Enter');
  await expect.poll(() => messageTexts(carol)).toEqual(['first draft', 'second thought', 'typo here']);
  await expect(carol.getByTestId('message').filter({ hasText: 'typo here' }).getByText('(edited)')).toBeVisible();
  await carol.getByRole('button', { name: 'Delete message: first draft' }).click();
  await carol.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect.poll(() => messageTexts(carol)).toEqual(['second thought', 'typo here']);
  await saveScreenshot(carol, 'chat-channel');

  // Browse and join a channel, then scroll back through its whole history: every post once, in order.
  await carol.getByRole('button', { name: 'Browse channels' }).click();
  await carol.getByRole('button', { name: 'Join # History' }).click();
  await expect(carol.locator('[data-channel="history"]')).toHaveAttribute('aria-current', 'page');
  await expect(carol.getByTestId('message-text').last()).toHaveText(`history ${HISTORY}`);
  expect((await messageTexts(carol)).length).toBeLessThan(HISTORY);
  const list = carol.getByRole('log', { name: 'Messages' });
  await expect
    .poll(
      async () => {
        await list.evaluate((el) => (el.scrollTop = 0));
        return carol.getByText('This is the start of the conversation.').isVisible();
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  expect(await messageTexts(carol)).toEqual(Array.from({ length: HISTORY }, (_, i) => `history ${i + 1}`));
  await saveScreenshot(carol, 'chat-history');

  // A direct message to Alice (on whichever node her socket is): unread count, presence, typing.
  const alicePage = await newPage(browser);
  await logIn(alicePage, env.haproxy.url, 'alice');
  await openChannel(alicePage, 'history');
  await carol.getByRole('button', { name: 'Write to someone' }).click();
  await carol.getByLabel('Find a person').fill('ali');
  await carol.getByRole('button', { name: /alice @alice/ }).click();
  await expect(carol.locator('[data-channel="dm-alice"]')).toHaveAttribute('aria-current', 'page');
  await send(carol, 'hi alice, got a minute?');
  const dm = alicePage.locator('[data-channel="dm-carol"]');
  await expect(dm.getByLabel('1 unread')).toBeVisible({ timeout: 20_000 });
  await expect(dm.locator('[data-status="online"]')).toBeVisible({ timeout: 20_000 });
  await saveScreenshot(alicePage, 'chat-unread');
  await dm.click();
  await expect(dm.getByLabel(/unread/)).toHaveCount(0);
  await expect.poll(() => messageTexts(alicePage)).toEqual(['hi alice, got a minute?']);
  await carol.locator('#composer-input').pressSequentially('sure', { delay: 30 });
  await expect(alicePage.getByTestId('typing')).toHaveText('carol is typing…');
  await saveScreenshot(alicePage, 'chat-typing');
  await carol.locator('#composer-input').press('Enter');
  await expect.poll(() => messageTexts(alicePage)).toEqual(['hi alice, got a minute?', 'sure']);
  await expect(alicePage.getByTestId('typing')).toHaveText('');
  await send(alicePage, 'yes, go ahead');
  await expect.poll(() => messageTexts(carol)).toEqual(['hi alice, got a minute?', 'sure', 'yes, go ahead']);

  // Carol leaves: her dot on Alice's page turns offline (presence is polled every 15 s).
  await carol.context().close();
  await expect(dm.locator('[data-status="offline"]')).toBeVisible({ timeout: 40_000 });
});

test('readable at 200% zoom: one column, the sidebar behind a toggle, nothing scrolls sideways', async ({ browser }) => {
  // 1440x960 at 200% zoom is a 720x480 CSS-pixel viewport at device scale 2.
  const page = await newPage(browser, { width: 720, height: 480 });
  await page.goto(env.haproxy.url);
  await page.getByLabel('Username or email').fill('alice');
  await page.getByLabel('Password').fill('pw-alice-Secret1!');
  await page.getByRole('button', { name: 'Log in' }).click();
  const toggle = page.getByRole('button', { name: 'Channels' });
  await expect(toggle).toBeVisible();
  await expect(page.locator('#composer-input')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Teams and channels' })).toBeHidden();
  await toggle.click();
  await expect(page.getByTestId('me')).toHaveText('alice');
  await page.locator('[data-channel="history"]').click();
  await expect(page.getByRole('heading', { name: '# History' })).toBeVisible();
  await expect(page.getByTestId('message-text').last()).toHaveText(`history ${HISTORY}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await send(page, 'readable at 200%');
  await saveScreenshot(page, 'chat-zoom-200');
});

test('a session ended elsewhere takes the page back to the login form, saying why', async ({ browser }) => {
  const page = await newPage(browser);
  await logIn(page, env.haproxy.url, 'alice');
  await expect(page.getByTestId('node-id')).toHaveText(/^n[12]$/);
  const token = await page.evaluate(() => localStorage.getItem('switchboard.token'));
  expect(token).toBeTruthy();
  const logout = await fetch(`${env.haproxy.url}/api/v4/users/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(logout.status).toBe(200);
  await expect(page.getByText('Your session has ended. Please log in again.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: 'Log in to Switchboard' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('switchboard.token'))).toBeNull();
  await saveScreenshot(page, 'chat-session-ended');
});
