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
          include: ['shared/src/**/*.test.ts', 'cluster-node/src/**/*.test.ts', 'main/src/**/*.test.ts', 'renderer/src/**/*.test.ts'],
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
    ],
  },
});
