import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { nodeRow, openView } from './fixtures/console-page.js';
import { startEnvironment, type ConsoleEnvironment } from './fixtures/environment.js';
import { saveScreenshot } from './fixtures/screenshots.js';

/**
 * Failover drills from the console, against three real nodes behind Debian's HAProxy: a
 * scenario is checked by field path and saved; the built-in kill-leader drill runs from the
 * Drills view after a confirmation naming its blast radius, its steps, charts and timeline move
 * live, it passes, and its report (thresholds, loss figures, HTML) is in the history; a second
 * drill, saved from the editor, survives a page reload mid-run and is halted: Stopped, and the
 * node it killed is back.
 */

test.describe.configure({ mode: 'serial' });

let env: ConsoleEnvironment;
let page: Page;

/** A drill that kills one follower, then waits long enough to be halted in the middle. */
const HALT_ME = `name: kill-then-wait
description: Kill one follower and wait a minute before starting it again.
steps:
  - action: kill-nodes
    target: { among: followers, radius: one }
  - action: wait
    ms: 60000
  - action: start-stopped
abort:
  timeLimitMs: 180000
`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = await startEnvironment(3, { balancer: 'haproxy' });
  page = await browser.newPage();
  await page.goto(env.console.url);
});

test.afterAll(async () => {
  await page?.close();
  await env?.stop();
});

/** The live run's panel. */
function livePanel(scenario: string): Locator {
  return page.getByRole('region', { name: `Drill ${scenario}` });
}

/** Runs `scenario` from the list, through its confirmation. */
async function runFromList(scenario: string): Promise<Locator> {
  await page.getByRole('table', { name: 'Drill scenarios' }).getByRole('row', { name: `Scenario ${scenario}` }).getByRole('button', { name: `Run ${scenario}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run drill ${scenario}?` });
  await expect(dialog).toBeVisible();
  return dialog;
}

/**
 * Records in the page when each sign of a live drill first appears (a MutationObserver, so
 * nothing between two polls is missed): Halt shown, steps running and done, timeline marks,
 * samples on the chart, and the verdict.
 */
async function recordLiveChanges(): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { drillSeen: Record<string, number> }).drillSeen = seen;
    const note = (what: string, present: boolean) => {
      if (present && seen[what] === undefined) seen[what] = performance.now();
    };
    const check = () => {
      const steps = Array.from(document.querySelectorAll('[aria-label="Drill steps"] > li')).map((li) => li.getAttribute('data-state'));
      const timeline = document.querySelector('[aria-label="Drill timeline"]')?.textContent ?? '';
      const points = Number(document.querySelector('figure[aria-label^="Delivery latency"]')?.getAttribute('data-points') ?? 0);
      note('halt-shown', Array.from(document.querySelectorAll('button')).some((b) => b.textContent === 'Halt'));
      note('step-1-running', steps[0] === 'running');
      note('step-1-ok', steps[0] === 'ok');
      note('step-3-running', steps[2] === 'running');
      note('leader-lost', timeline.includes('Leader lost'));
      note('new-leader', timeline.includes('New leader'));
      note('three-samples', points >= 3);
      note('verdict', document.querySelector('[aria-label="Drill verdict"]') !== null);
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

/** The leader the Nodes view marks (then back to Drills). */
async function currentLeader(): Promise<string> {
  await openView(page, 'Nodes');
  const rows = page.getByRole('table', { name: 'Nodes' }).getByRole('row').filter({ hasText: '★ leader' });
  await expect(rows).toHaveCount(1);
  const name = (await rows.first().getAttribute('aria-label')) ?? '';
  await openView(page, 'Drills');
  return name.replace(/^Node /, '');
}

test('checks a scenario by field path as it is typed, and saves it', async () => {
  // Key 8 opens the view, and the shortcut list says so.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Open Drills');
  await page.keyboard.press('Escape');
  await page.keyboard.press('8');
  await expect(page.getByRole('heading', { level: 2, name: 'Drills' })).toBeVisible();
  const scenarios = page.getByRole('table', { name: 'Drill scenarios' });
  for (const name of ['kill-leader', 'kill-random-node', 'drain-node', 'rolling-restart', 'restart-redis', 'redis-sentinel-failover', 'restart-postgres']) {
    await expect(scenarios.getByRole('row', { name: `Scenario ${name}` })).toContainText('built in');
  }
  await expect(page.getByRole('region', { name: 'History' })).toContainText('No drill has run yet');
  await scenarios.getByRole('row', { name: 'Scenario kill-leader' }).getByRole('button', { name: 'Copy kill-leader' }).click();
  const editor = page.getByRole('form', { name: 'New scenario from kill-leader' });
  const text = editor.getByLabel('Scenario (YAML or JSON)');
  await expect(text).toHaveValue(/^name: kill-leader-copy$/m);
  await expect(editor.getByRole('status').filter({ hasText: 'Valid: kill-leader-copy' })).toBeVisible();
  await text.fill('name: Bad Name\nsteps:\n  - action: kill-everything\n');
  const problems = editor.getByRole('alert', { name: 'Scenario problems' });
  await expect(problems).toContainText('name: must be 1-63 lowercase letters, digits or dashes');
  await expect(problems).toContainText('steps.0.action');
  await expect(editor.getByRole('button', { name: 'Save scenario' })).toBeDisabled();
  await saveScreenshot(page, '30-drills-editor-invalid');
  await text.fill(HALT_ME);
  await expect(editor.getByRole('status').filter({ hasText: 'Valid: kill-then-wait, 3 steps' })).toBeVisible();
  await editor.getByRole('button', { name: 'Save scenario' }).click();
  await expect(editor.getByRole('status').filter({ hasText: 'Saved as kill-then-wait' })).toBeVisible();
  await expect(scenarios.getByRole('row', { name: 'Scenario kill-then-wait' })).toContainText('saved');
  await editor.getByRole('button', { name: 'Close' }).click();
});

test('runs kill-leader from the view: blast radius, live steps, charts and timeline, then Pass', async () => {
  test.setTimeout(180_000);
  const leader = await currentLeader();
  const dialog = await runFromList('kill-leader');
  await expect(dialog.getByRole('list', { name: 'What the drill will do' })).toContainText(`SIGKILL the leader (now ${leader})`);
  await expect(dialog).toContainText('Blast radius: 1 node');
  await expect(dialog).toContainText('more than one node is down at once');
  await saveScreenshot(page, '31-drills-confirm');
  await recordLiveChanges();
  await dialog.getByRole('button', { name: 'Run kill-leader' }).click();
  const live = livePanel('kill-leader');
  const steps = live.getByRole('list', { name: 'Drill steps' }).getByRole('listitem');
  await expect(steps).toHaveCount(4);
  await expect(live.getByRole('status', { name: 'Drill verdict' })).toContainText('Pass', { timeout: 150_000 });
  // Live, not after the fact: the page showed each of these while the drill was still running.
  const seen = await page.evaluate(() => (window as unknown as { drillSeen: Record<string, number> }).drillSeen);
  for (const what of ['halt-shown', 'step-1-running', 'step-1-ok', 'step-3-running', 'leader-lost', 'new-leader', 'three-samples']) {
    expect(seen[what], `${what} seen before the verdict (${JSON.stringify(seen)})`).toBeLessThan(seen.verdict!);
  }
  expect(seen['step-1-running']).toBeLessThan(seen['step-1-ok']!);
  await expect(steps.first()).toContainText(`on ${leader}`);
  await expect(live.getByRole('group', { name: 'Lost' })).toContainText('0');
  const timeline = live.getByRole('log', { name: 'Drill timeline' });
  await expect(timeline).toContainText('Leader lost');
  await expect(timeline).toContainText('New leader');
  for (let i = 0; i < 4; i += 1) await expect(steps.nth(i)).toHaveAttribute('data-state', 'ok');
  await expect(live.getByRole('button', { name: 'Halt' })).toHaveCount(0);
  await saveScreenshot(page, '33-drills-pass');
});

test('keeps the run in the history with its report: thresholds, loss figures, probes, HTML', async () => {
  const history = page.getByRole('table', { name: 'Drill runs' });
  const row = history.getByRole('row').filter({ hasText: 'kill-leader' }).first();
  await expect(row).toHaveAttribute('data-verdict', 'Pass');
  await row.getByRole('button', { name: /^Open report of kill-leader/ }).click();
  const report = page.getByRole('region', { name: /^Report of run / });
  // Opening a report takes the focus there, so keyboard users land on it.
  await expect(page.locator('.focus-target')).toBeFocused();
  await expect(report.getByRole('group', { name: 'Verdict' })).toContainText('Pass');
  // Posts refused while the leader's node died were never acknowledged: success may be under 100 %, loss is 0.
  await expect(report.getByRole('group', { name: 'Probe success' })).toContainText(/\d+(\.\d\d)? %\d+ of \d+ posts delivered everywhere in time/);
  for (const figure of ['Lost', 'Unexpected', 'Reordered']) await expect(report.getByRole('group', { name: figure })).toContainText('0');
  await expect(report.getByRole('group', { name: 'Recovered' })).toBeVisible();
  const thresholds = report.getByRole('table', { name: 'Thresholds' });
  await expect(thresholds.getByRole('row', { name: 'Threshold lost' })).toHaveAttribute('data-pass', 'true');
  await expect(thresholds.getByRole('row', { name: 'Threshold timeWithoutLeaderMs' })).toHaveAttribute('data-pass', 'true');
  await expect(thresholds.locator('tbody tr[data-pass="false"]')).toHaveCount(0);
  await expect(report.getByRole('log', { name: 'Drill timeline' })).toContainText('New leader');
  await expect(report.getByRole('img', { name: /^Node health/ })).toHaveAttribute('data-points', /^([3-9]|\d{2,})$/);
  await expect(report.getByRole('table', { name: 'Probe clients' }).getByRole('row')).toHaveCount(4);
  await saveScreenshot(page, '34-drills-report');
  const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Save HTML report' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^switchboard-drill-.+\.html$/);
  const html = readFileSync((await download.path())!, 'utf8');
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toContain('kill-leader');
  expect(html).toContain('Pass');
  await report.getByRole('button', { name: 'Close' }).click();
  await expect(report).toHaveCount(0);
  // The finished run's panel can be put away; it stays away when the view opens again.
  await livePanel('kill-leader').getByRole('button', { name: 'Dismiss' }).click();
  await expect(livePanel('kill-leader')).toHaveCount(0);
  await openView(page, 'Overview');
  await openView(page, 'Drills');
  await expect(page.getByRole('table', { name: 'Drill runs' })).toBeVisible();
  await expect(livePanel('kill-leader')).toHaveCount(0);
});

test('halts a second drill at once: Stopped, and the node it killed is back', async () => {
  test.setTimeout(180_000);
  const dialog = await runFromList('kill-then-wait');
  await expect(dialog).toContainText('Blast radius: 1 node');
  await dialog.getByRole('button', { name: 'Run kill-then-wait' }).click();
  const live = livePanel('kill-then-wait');
  const steps = live.getByRole('list', { name: 'Drill steps' }).getByRole('listitem');
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'running');
  const killed = /on (n\d)/.exec((await steps.nth(0).textContent()) ?? '')?.[1];
  expect(killed).toBeTruthy();
  await expect(live.getByRole('log', { name: 'Drill timeline' })).toContainText('Node gone from registry', { timeout: 15_000 });
  // A reload mid-run (the tab's session token reconnects it) draws the run whole again from drills.current.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Drills' })).toBeVisible();
  await expect(steps.nth(0)).toHaveAttribute('data-state', 'ok');
  await expect(steps.nth(1)).toHaveAttribute('data-state', 'running');
  await expect(live.getByRole('log', { name: 'Drill timeline' })).toContainText('Node gone from registry');
  await expect(live.getByRole('img', { name: /^Node health/ })).toHaveAttribute('data-points', /^([3-9]|\d{2,})$/);
  await saveScreenshot(page, '32-drills-live');
  await live.getByRole('button', { name: 'Halt' }).click();
  await expect(live.getByRole('status', { name: 'Drill verdict' })).toContainText('Stopped', { timeout: 60_000 });
  await expect(live.getByRole('group', { name: 'Verdict' })).toContainText('halted by the operator');
  await expect(steps.nth(2)).toHaveAttribute('data-state', 'pending');
  await expect(live.getByRole('log', { name: 'Drill timeline' })).toContainText('Cluster restored');
  await saveScreenshot(page, '35-drills-stopped');
  await expect(page.getByRole('table', { name: 'Drill runs' }).getByRole('row').filter({ hasText: 'kill-then-wait' }).first()).toHaveAttribute('data-verdict', 'Stopped');
  await openView(page, 'Nodes');
  await expect(nodeRow(page, killed!)).toHaveAttribute('data-state', 'active', { timeout: 30_000 });
  await saveScreenshot(page, '36-nodes-after-halt');
});
