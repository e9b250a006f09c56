#!/usr/bin/env node
// `npm run dist`: builds the console's installers with electron-builder from electron-builder.yml
// (AppImage and deb on Linux, dmg on macOS, NSIS on Windows; for this platform unless arguments
// say otherwise, e.g. `npm run dist -- --linux deb`). electron-builder packs Electron's binary
// into each installer, so it needs the binary installed (node_modules/electron/dist): where it is
// not (npm ci with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on the build machines here), this stops
// at once with one line saying why and how, and exits 1. electron-builder itself (about 230
// packages, 95 MB) is not a dependency, so `npm ci` stays quick for everyone else: this runs the
// pinned version below with `npm exec`, which fetches it into npm's cache on first use.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron } from './lib/console.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The electron-builder release `npm run dist` runs. @default '26.17.0' */
export const ELECTRON_BUILDER_VERSION = '26.17.0';

function fail(line) {
  process.stderr.write(`npm run dist: ${line}\n`);
  process.exit(1);
}

/** The Electron binary, downloading it first (as the electron package does on first use) unless told not to. */
function electronBinary() {
  const found = findElectron(root);
  if (found.binary) return found.binary;
  if (!found.packageDir) fail(`cannot build the installers: ${found.missing}`);
  const how = 'run `npm ci` and `npm run dist` on a machine that can download Electron (without ELECTRON_SKIP_BINARY_DOWNLOAD)';
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    fail(`cannot build the installers here: Electron's binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set, and electron-builder packs that binary into every installer; ${how}`);
  }
  process.stdout.write("dist: downloading Electron's binary (npx install-electron)\n");
  const download = spawnSync(process.execPath, [join(found.packageDir, 'install.js')], { cwd: root, encoding: 'utf8' });
  const again = findElectron(root);
  if (download.status !== 0 || !again.binary) {
    const why = /fetch failed|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/.test(`${download.stderr}${download.stdout}`) ? 'it cannot be downloaded from this machine' : `its download failed (exit ${download.status})`;
    fail(`cannot build the installers here: Electron's binary is not installed and ${why}, and electron-builder packs that binary into every installer; ${how}`);
  }
  return again.binary;
}

const binary = electronBinary();

process.stdout.write('dist: building shared, main and the renderer (npm run build)\n');
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail(`npm run build failed (exit ${build.status})`);

// The installed binary's folder, so electron-builder does not download Electron a second time.
const electronDist = dirname(binary.includes('.app/') ? binary.slice(0, binary.indexOf('.app/') + 4) : binary);
const args = ['--config', 'electron-builder.yml', '--publish', 'never', `--config.electronDist=${electronDist}`, ...process.argv.slice(2)];
process.stdout.write(`dist: electron-builder@${ELECTRON_BUILDER_VERSION} ${args.join(' ')}\n`);
const result = spawnSync('npm', ['exec', '--yes', `--package=electron-builder@${ELECTRON_BUILDER_VERSION}`, '--', 'electron-builder', ...args], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) fail(`electron-builder failed (exit ${result.status}); its output is above`);
process.stdout.write('dist: installers are in release/\n');
