import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the console's renderer into renderer/dist. The web bridge serves it from `/` and
 * Electron from files, so asset URLs are relative (`base: './'`). `@switchboard/shared` is read
 * from its TypeScript sources, so the renderer builds without `tsc -b shared` first.
 */
const sharedEntry = decodeURIComponent(new URL('../shared/src/index.ts', import.meta.url).pathname);

export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: './',
  plugins: [react()],
  resolve: { alias: { '@switchboard/shared': sharedEntry } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The bridge's CSP forbids inline script and style: keep every asset a file.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
  },
});
