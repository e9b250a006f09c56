/**
 * Secrets the console needs (SSH key passphrases, Redis and Postgres passwords). Profiles only
 * NAME a secret (`passphraseSecret: web1-key`); its value comes from a SecretStore: Electron
 * safeStorage in the desktop app (implemented in main/src/electron), environment variables in
 * web mode. A secret value never goes into a log line, an error message or a child's environment.
 */

/** Where secret values come from. */
export interface SecretStore {
  /** The value of the secret `name`, or undefined when the store has none. */
  get(name: string): Promise<string | undefined>;
  /** One line saying where secrets come from, for the status screen and start-up log (never a value). */
  describeSecretSource(): string;
}

/** Prefix of the environment variables {@link EnvSecretStore} reads. @default 'SB_SECRET_' */
export const SECRET_ENV_PREFIX = 'SB_SECRET_';

/**
 * The environment variable that holds secret `name`: `SB_SECRET_` + the name uppercased, every
 * character other than A-Z and 0-9 replaced by `_`.
 * @example secretEnvName('web1-key.pass') // 'SB_SECRET_WEB1_KEY_PASS'
 */
export function secretEnvName(name: string): string {
  return `${SECRET_ENV_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Web mode's store: secret `name` is the environment variable {@link secretEnvName}(name).
 * An empty variable counts as unset.
 * @example new EnvSecretStore(process.env).get('web1-key') // reads SB_SECRET_WEB1_KEY
 */
export class EnvSecretStore implements SecretStore {
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  /** The value of `SB_SECRET_<NAME>`, or undefined. */
  async get(name: string): Promise<string | undefined> {
    const value = this.#env[secretEnvName(name)];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Says secrets come from SB_SECRET_* variables. */
  describeSecretSource(): string {
    return `environment variables (${SECRET_ENV_PREFIX}<NAME>, the secret name uppercased with other characters as _)`;
  }
}

/**
 * pino `redact` paths for every field a secret could travel in (top level and one level down),
 * so a config or connect-options object logged by mistake shows `[Redacted]`.
 * @example pino({ redact: { paths: [...SECRET_REDACT_PATHS], censor: '[Redacted]' } })
 */
export const SECRET_REDACT_PATHS: readonly string[] = ['passphrase', 'password', 'privateKey', 'secret', 'token'].flatMap((field) => [
  field,
  `*.${field}`,
]);

/** A copy of `env` without the SB_SECRET_* variables, for child processes the console starts. */
export function withoutSecrets(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith(SECRET_ENV_PREFIX)) copy[key] = value;
  }
  return copy;
}
