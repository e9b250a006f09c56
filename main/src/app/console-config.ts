import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The console's configuration, validated once at start: the one place (with the profile's own
 * SB_REDIS_URL-style overrides of the `local` profile, and SB_SECRET_* in web mode) that reads
 * the environment. Command-line flags win over the environment.
 */

/** The environment variables the console reads, each onto a config field. */
export const CONSOLE_ENV_VARS = {
  SB_CONSOLE_PROFILE: 'profile',
  SB_CONSOLE_DATA_DIR: 'dataDir',
  SB_CONSOLE_RENDERER_DIR: 'rendererDir',
  SB_CONSOLE_DEV_URL: 'devUrl',
  SB_CONSOLE_LOG_LEVEL: 'logLevel',
} as const;

/** The built renderer of this checkout (or of the packaged app): `<repo>/renderer/dist`, from main/{src,dist}/app/. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../renderer/dist', import.meta.url));

/** Where the console keeps its profiles folder, audit log and accepted host keys, per platform. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'switchboard-console');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'switchboard-console');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'switchboard-console');
}

/** The console's configuration. */
export const consoleConfigSchema = z
  .object({
    /** The profile to open: a YAML/JSON file, or `local`. @default 'local' */
    profile: z.string().min(1).default('local'),
    /** Profiles folder (`profiles/`), audit log, accepted host keys. @default per platform, see defaultDataDir */
    dataDir: z.string().min(1),
    /** The built renderer. @default DEFAULT_RENDERER_DIR */
    rendererDir: z.string().min(1).default(DEFAULT_RENDERER_DIR),
    /** The renderer's dev server (Electron only, development): loaded instead of the built files. */
    devUrl: z.string().regex(/^http:\/\/(localhost|127\.0\.0\.1):\d{1,5}$/, 'must be http://localhost:PORT or http://127.0.0.1:PORT').optional(),
    /** pino level. @default 'info' */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

/** The console's configuration. */
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** A configuration error; `message` is the one line to print. */
export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
}

/**
 * The frozen configuration from the environment, with `overrides` (command-line flags) winning.
 * Throws {@link ConsoleConfigError} naming the variable or flag that is wrong.
 * @example const config = loadConsoleConfig(process.env, { profile: 'ops.yaml' });
 */
export function loadConsoleConfig(env: Readonly<Record<string, string | undefined>>, overrides: Partial<ConsoleConfig> = {}): Readonly<ConsoleConfig> {
  const input: Record<string, unknown> = { dataDir: defaultDataDir(env) };
  for (const [name, field] of Object.entries(CONSOLE_ENV_VARS)) if (env[name]) input[field] = env[name];
  for (const [field, value] of Object.entries(overrides)) if (value !== undefined) input[field] = value;
  const parsed = consoleConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const variable = Object.entries(CONSOLE_ENV_VARS).find(([, value]) => value === field)?.[0];
    const where = field in overrides ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : (variable ?? field);
    throw new ConsoleConfigError(`invalid configuration: ${where} ${issue.message}`);
  }
  return Object.freeze(parsed.data);
}
