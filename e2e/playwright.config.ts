import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the console in Debian's Chromium (never a downloaded browser): each spec
 * starts real Redis, Postgres, nodes under nodectl and `switchboard console --web`, then drives
 * the UI. One worker: specs start whole clusters, and two at once would starve a 2-core machine.
 * Artifacts (screenshots of every view, traces of failures) land in test-results/.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/e2e',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e-report.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 960 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
