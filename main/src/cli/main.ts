import { isSwitchboardError } from '@switchboard/shared';
import { ConsoleConfigError, loadConsoleConfig } from '../app/console-config.js';
import { startWebConsole } from '../app/console-main.js';
import { createConsoleLogger } from '../app/logger.js';
import { ProfileError, loadProfile } from '../core/profiles/index.js';
import { EnvSecretStore } from '../core/secrets/index.js';
import { collectStatus, renderStatusText } from '../core/status/index.js';
import { parseCommandLine, UsageError, USAGE } from './args.js';
import { runDrillCommand } from './drill-command.js';

/**
 * `switchboard`: the console's command line. `console --web` runs the web mode until SIGINT or
 * SIGTERM; `status` prints the cluster at a glance; `drill run` runs a failover drill. Exit codes:
 * 0 ok (a drill's Pass); 1 Redis or Postgres unreachable (status), a drill's Fail or Stopped, or a
 * failure; 2 usage, configuration, profile or scenario error, in one line.
 */

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI writes, and the process it runs in (seams for tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  /** Signals that stop the web mode. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

const PROCESS_IO: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  onSignal(listener) {
    process.once('SIGINT', listener);
    process.once('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
};

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/** Whether an error is the operator's to fix (exit 2) rather than a failure (exit 1). */
function isUsageLike(err: unknown): boolean {
  return err instanceof UsageError || err instanceof ConsoleConfigError || err instanceof ProfileError || (isSwitchboardError(err) && ['profile.invalid', 'console.invalid_argument', 'drill.invalid_scenario', 'drill.not_found', 'drill.missing_control'].includes(err.id));
}

/** One line for an error: its message, with a SwitchboardError's detail when it adds something. */
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const detail = isSwitchboardError(err) && err.detail && !message.includes(err.detail) ? ` (${err.detail})` : '';
  return `${message}${detail}`.replace(/\s*\n\s*/g, ' ');
}

async function status(profileRef: string, json: boolean, env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const config = loadConsoleConfig(env, { profile: profileRef, ...(env.SB_CONSOLE_LOG_LEVEL ? {} : { logLevel: 'error' as const }) });
  const log = createConsoleLogger({ level: config.logLevel, destination: io.stderr });
  const profile = await loadProfile(config.profile, env);
  const secrets = new EnvSecretStore(env);
  const report = await collectStatus(profile, { log, resolveSecret: (name) => secrets.get(name) });
  await write(io.stdout, json ? `${JSON.stringify(report)}\n` : renderStatusText(report, { color: io.stdout.isTTY === true }));
  return report.redis === 'ok' && report.postgres === 'ok' ? EXIT.ok : EXIT.failed;
}

async function webConsole(profileRef: string, port: number, env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const config = loadConsoleConfig(env, { profile: profileRef });
  const log = createConsoleLogger({ level: config.logLevel, destination: io.stderr });
  let stopRequested: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  // Listening before start-up, so a signal during it still stops cleanly once it is done.
  const detach = io.onSignal((signal) => {
    stopRequested = signal;
    wake();
  });
  try {
    const web = await startWebConsole({ config, log, secrets: new EnvSecretStore(env), env, port });
    await write(io.stdout, `Console: ${web.bridge.launchUrl}\n`);
    if (stopRequested === undefined) await stopped;
    log.info({ signal: stopRequested }, 'stopping');
    await web.close();
    return EXIT.ok;
  } finally {
    detach();
  }
}

async function drill(invocation: Extract<ReturnType<typeof parseCommandLine>, { command: 'drill-run' }>, env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const config = loadConsoleConfig(env, { profile: invocation.profile, ...(env.SB_CONSOLE_LOG_LEVEL ? {} : { logLevel: 'error' as const }) });
  const log = createConsoleLogger({ level: config.logLevel, destination: io.stderr });
  return runDrillCommand({ ...invocation, profile: config.profile, env, dataDir: config.dataDir, secrets: new EnvSecretStore(env), log, stdout: io.stdout, stderr: io.stderr, onSignal: io.onSignal });
}

/**
 * Runs the command line; resolves with the exit code.
 * @example process.exit(await main(process.argv.slice(2)));
 */
export async function main(argv: readonly string[] = process.argv.slice(2), env: Record<string, string | undefined> = process.env, io: CliIo = PROCESS_IO): Promise<number> {
  try {
    const invocation = parseCommandLine(argv);
    switch (invocation.command) {
      case 'help':
        await write(io.stdout, USAGE);
        return EXIT.ok;
      case 'status':
        return await status(invocation.profile, invocation.json, env, io);
      case 'console':
        return await webConsole(invocation.profile, invocation.port, env, io);
      case 'drill-run':
        return await drill(invocation, env, io);
    }
  } catch (err) {
    const usage = isUsageLike(err);
    await write(io.stderr, `switchboard: ${oneLine(err)}${err instanceof UsageError ? ' (switchboard --help for usage)' : ''}\n`);
    if (!usage && !isSwitchboardError(err)) await write(io.stderr, `${err instanceof Error ? err.stack : ''}\n`);
    return usage ? EXIT.usage : EXIT.failed;
  }
}
