// The console the demo opens, on the built-in `local` profile (which reads the demo's
// .run/demo/profile.json): the Electron app where Electron's binary is installed and there is a
// display, else `switchboard console --web --profile local` with its URL.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitFor } from './net.mjs';

/** Where `--console` may send the demo. */
export const CONSOLE_CHOICES = ['auto', 'electron', 'web', 'none'];

/**
 * The Electron binary of this checkout, or {missing: why}. Read from the electron package's
 * path.txt and dist/ without require('electron'), which would start downloading a missing binary.
 */
export function findElectron(root) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'main', 'package.json')).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const binary = existsSync(pathFile) ? join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  if (!binary || !existsSync(binary)) {
    return { missing: "Electron's binary is not installed (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or it was never downloaded: `npx install-electron`)", packageDir };
  }
  return { binary, packageDir };
}

/** Whether a window can be shown (a display on Linux; always on macOS and Windows). */
export function hasDisplay(env = process.env) {
  return process.platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Which console to open for `choice`, and why: {mode: 'electron'|'web'|'none', binary?, note?}. */
export function chooseConsole(root, choice, smoke) {
  if (choice === 'none') return { mode: 'none' };
  if (smoke || choice === 'web') return { mode: 'web' };
  const electron = findElectron(root);
  const asRoot = process.platform === 'linux' && process.getuid() === 0;
  if (electron.binary && hasDisplay() && !asRoot) return { mode: 'electron', binary: electron.binary };
  const why = electron.missing ?? (asRoot ? "running as root (Electron's sandbox refuses root)" : 'there is no display (DISPLAY or WAYLAND_DISPLAY)');
  if (choice === 'electron') return { mode: 'error', note: `--console electron: ${why}` };
  return { mode: 'web', note: `${why}: opening the console in web mode` };
}

/** The console's environment: the local profile, demo data folder, the probe's password. */
function consoleEnv(root, probePassword) {
  return {
    ...process.env,
    SB_CONSOLE_DATA_DIR: join(root, '.run', 'demo', 'console'),
    SB_CONSOLE_LOG_LEVEL: process.env.SB_CONSOLE_LOG_LEVEL ?? 'warn',
    SB_SECRET_PROBE_PASSWORD: probePassword,
    SB_DEMO_PROFILE: join(root, '.run', 'demo', 'profile.json'),
  };
}

/**
 * Starts the console under `ctx.spawn`. Resolves {mode, url?, origin?, token?, port?}: the web
 * mode's launch URL (its one-time token works once), or the Electron app.
 */
export async function startConsole(ctx, choice, probePassword) {
  const logFile = join(ctx.root, '.run', 'demo', 'logs', 'console.log');
  const env = consoleEnv(ctx.root, probePassword);
  if (choice.mode === 'electron') {
    ctx.spawn('console', choice.binary, [join(ctx.root, 'main'), '--profile=local'], { env, cwd: ctx.root, logFile, stopTimeoutMs: 10_000 });
    return { mode: 'electron' };
  }
  let url;
  const child = ctx.spawn('console', process.execPath, [join(ctx.root, 'main', 'bin', 'switchboard.js'), 'console', '--web', '--profile', 'local'], {
    env,
    cwd: ctx.root,
    logFile,
    stopTimeoutMs: 10_000,
    onLine: (line) => {
      const match = /^Console: (http:\/\/\S+)$/.exec(line.trim());
      if (match) url = match[1];
    },
  });
  await waitFor('the console', () => url, {
    timeoutMs: 30_000,
    intervalMs: 100,
    abort: () => child.exited && `it exited:\n${child.tail.slice(-12).join('\n')}`,
  });
  const parsed = new URL(url);
  ctx.services.push({ name: 'console', port: Number(parsed.port), pid: child.proc.pid });
  return { mode: 'web', url, origin: parsed.origin, port: Number(parsed.port), token: new URLSearchParams(parsed.hash.slice(1)).get('token') };
}
