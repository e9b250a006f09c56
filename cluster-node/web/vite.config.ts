import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the end users' web client into cluster-node/dist/web, which every node serves at `/`
 * (cluster-node/src/http/web-static.ts). Asset names carry a content hash, so the node serves them
 * as immutable; the node's Content-Security-Policy forbids inline script and style, so every
 * asset stays a file. `@switchboard/shared` is read from its TypeScript sources.
 */
const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@switchboard/shared': here('../../shared/src/index.ts') } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
  },
});
