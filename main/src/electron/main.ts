import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, protocol, safeStorage, session } from 'electron';
import type { Logger } from 'pino';
import { ConsoleConfigError, loadConsoleConfig, type ConsoleConfig } from '../app/console-config.js';
import { startConsole, Teardown } from '../app/console-main.js';
import { createConsoleLogger } from '../app/logger.js';
import { SafeStorageSecretStore, SecretChain } from '../app/safe-storage-secrets.js';
import { EnvSecretStore } from '../core/secrets/index.js';
import { registerElectronTransport } from '../ipc/electron-transport.js';
import { contentSecurityPolicy } from '../ipc/security.js';
import { APP_ORIGIN, APP_SCHEME, createMainWindow, hardenContents, hardenSession, registerAppProtocol } from './window.js';

/**
 * The desktop console's entry: the composition root of console-main.ts, plus the Electron
 * transport and one locked-down window. Order: config -> logger -> secrets -> console (clients,
 * services, router) -> IPC -> window; quitting tears down in reverse, once.
 */

// Before ready: the renderer's scheme is a secure, standard origin of its own (not file://).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();
// No new windows, navigation or webviews, in any WebContents ever created.
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

/** The configuration: SB_CONSOLE_* variables, `--profile=FILE|local`, data in the app's userData folder. */
function readConfig(): Readonly<ConsoleConfig> {
  const profileFlag = process.argv.find((arg) => arg.startsWith('--profile='))?.slice('--profile='.length);
  return loadConsoleConfig(process.env, { dataDir: process.env.SB_CONSOLE_DATA_DIR || app.getPath('userData'), ...(profileFlag ? { profile: profileFlag } : {}) });
}

async function onReady(config: Readonly<ConsoleConfig>, log: Logger, teardown: Teardown): Promise<void> {
  const secrets = new SecretChain([
    new SafeStorageSecretStore({ safeStorage, file: join(config.dataDir, 'secrets.json'), log }),
    new EnvSecretStore(process.env),
  ]);
  const consoleApp = await startConsole({ config, log, secrets, env: process.env });
  teardown.add('console', () => consoleApp.close());

  // The dev server's HMR socket is the one extra source, and only in development.
  const csp = contentSecurityPolicy(config.devUrl ? { connect: [config.devUrl.replace(/^http/, 'ws')] } : {});
  hardenSession(session.defaultSession, csp);
  registerAppProtocol(protocol, config.rendererDir, csp);
  const trusted = config.devUrl ? { appOrigin: APP_ORIGIN, devOrigin: config.devUrl } : { appOrigin: APP_ORIGIN };
  teardown.add('ipc', registerElectronTransport({ ipcMain, router: consoleApp.router, trusted, log }));

  createMainWindow({ preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)), ...(config.devUrl ? { devUrl: config.devUrl } : {}) });
}

function main(): void {
  let config: Readonly<ConsoleConfig>;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`switchboard console: ${err instanceof ConsoleConfigError ? err.message : String(err)}\n`);
    app.exit(2);
    return;
  }
  const log = createConsoleLogger({ level: config.logLevel });
  const teardown = new Teardown(log);
  let quitting = false;
  app.on('window-all-closed', () => app.quit());
  // Quit waits for the teardown (sockets, Redis, Postgres, SSH) once, then quits for real.
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void teardown.run().finally(() => app.exit(0));
  });
  app
    .whenReady()
    .then(() => onReady(config, log, teardown))
    .catch((err: unknown) => {
      log.fatal({ err }, 'console failed to start');
      process.stderr.write(`switchboard console: ${err instanceof Error ? err.message : String(err)}\n`);
      void teardown.run().finally(() => app.exit(1));
    });
}

main();
