import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sharedEntry = fileURLToPath(new URL('./shared/src/index.ts', import.meta.url));

export default defineConfig({
  resolve: {
    alias: { '@switchboard/shared': sharedEntry },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'cluster-node/src/**/*.test.ts', 'main/src/**/*.test.ts', 'renderer/src/**/*.test.ts', 'cluster-node/web/src/**/*.test.ts'],
          // Vitest 4 runs projects with different maxWorkers as separate groups; unit tests go first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['cluster-node/test/**/*.test.ts', 'main/test/**/*.test.ts', 'bench/**/*.test.ts'],
          globalSetup: ['cluster-node/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Each file gets its own database; two workers keep a 2-core machine busy without thrashing.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // One file: it runs the Playwright suite (e2e/*.spec.ts) in Chromium and reports per spec.
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['cluster-node/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 900_000,
          maxWorkers: 1,
          // Last, alone: it starts whole clusters and a browser.
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
