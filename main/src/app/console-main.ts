import { join } from 'node:path';
import type { Logger } from 'pino';
import { AuditLog } from '../core/audit/index.js';
import { DrillService } from '../core/drills/index.js';
import type { TransportFactory } from '../core/hosts/index.js';
import { loadProfile, LOCAL_PROFILE_NAME, type ProfileEnv } from '../core/profiles/index.js';
import type { SecretStore } from '../core/secrets/index.js';
import { Router } from '../ipc/router.js';
import { startWebBridge, type WebBridge } from '../ipc/web-bridge.js';
import type { ConsoleConfig } from './console-config.js';
import { createConsoleServices, type ConsoleServiceSet } from './console-services.js';
import { ProfileCatalog } from './profile-catalog.js';
import { openProfileSession } from './profile-session.js';

/**
 * The console's composition root, shared by `switchboard console --web` and the Electron main:
 * config -> logger -> clients -> services -> router, then the caller's transport; torn down in
 * reverse by one `close()`, which serves Ctrl-C, window close and tests alike.
 */

/** What the console is built from (config and logger are made by the caller, first). */
export interface ConsoleAppOptions {
  config: Readonly<ConsoleConfig>;
  log: Logger;
  /** Where secrets come from: SB_SECRET_* in web mode, safeStorage in the desktop app. */
  secrets: SecretStore;
  /** The environment the `local` profile and local host commands read. */
  env: ProfileEnv;
  /** Host transports (tests may substitute). @default SSH and local processes */
  transports?: TransportFactory;
}

/** A running console without its transport. */
export interface ConsoleApp {
  router: Router;
  services: ConsoleServiceSet;
  /** Closes everything it opened, in reverse order. */
  close(): Promise<void>;
}

/** Runs teardown steps in reverse order of registration; a failing step is logged, the rest still run. */
export class Teardown {
  readonly #steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  #done: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  /** Registers a step to run at close. */
  add(name: string, run: () => Promise<void> | void): void {
    this.#steps.push({ name, run });
  }

  /** Runs every step once, last registered first; later calls wait for the same run. */
  run(): Promise<void> {
    this.#done ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.run();
        } catch (err) {
          this.log.error({ err, step: step.name }, 'teardown step failed');
        }
      }
    })();
    return this.#done;
  }
}

/**
 * Builds the console for `config.profile`: loads it (a ProfileError propagates: the CLI exits 2),
 * opens its session and the services over it, and the router.
 * @example const app = await startConsole({ config, log, secrets: new EnvSecretStore(process.env), env: process.env });
 */
export async function startConsole(options: ConsoleAppOptions): Promise<ConsoleApp> {
  const { config, log, secrets, env } = options;
  const teardown = new Teardown(log);
  try {
    const profile = await loadProfile(config.profile, env);
    const catalog = new ProfileCatalog({ dataDir: config.dataDir, env, ...(config.profile === LOCAL_PROFILE_NAME ? {} : { commandLineFile: config.profile }) });
    const audit = AuditLog.inDataDir(config.dataDir);
    const openSession = (selected: typeof profile) =>
      openProfileSession(selected, { secrets, audit, dataDir: config.dataDir, env, log, ...(options.transports ? { transports: options.transports } : {}) });
    const initial = await openSession(profile);
    const drills = new DrillService({ dir: join(config.dataDir, 'drills'), dataDir: config.dataDir, secrets, audit, log, env, ...(options.transports ? { transports: options.transports } : {}) });
    const services = createConsoleServices({ catalog, audit, openSession, initial, drills, log });
    teardown.add('services', () => services.close());
    // Closed first: a drill still running is halted, and the cluster restored, before anything else goes.
    teardown.add('drills', () => drills.close());
    const router = new Router({ services: services.services, log });
    log.info({ profile: profile.name, cluster: profile.cluster, dataDir: config.dataDir, secrets: secrets.describeSecretSource() }, 'console started');
    return { router, services, close: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

/** A console served over the web bridge. */
export interface WebConsole {
  app: ConsoleApp;
  bridge: WebBridge;
  /** Closes the bridge (every socket), then the console. */
  close(): Promise<void>;
}

/**
 * The web mode: the console plus its web bridge on 127.0.0.1.
 * @example const web = await startWebConsole({ ...options, port: 0 }); console.log(web.bridge.launchUrl);
 */
export async function startWebConsole(options: ConsoleAppOptions & { port?: number }): Promise<WebConsole> {
  const app = await startConsole(options);
  const teardown = new Teardown(options.log);
  teardown.add('console', () => app.close());
  try {
    const bridge = await startWebBridge({ router: app.router, log: options.log, port: options.port ?? 0, rendererDir: options.config.rendererDir });
    teardown.add('web bridge', () => bridge.close());
    return { app, bridge, close: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
