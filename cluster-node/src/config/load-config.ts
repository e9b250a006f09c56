import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { NODE_ENV_VARS, nodeConfigSchema, type NodeConfig } from '@switchboard/shared';

/**
 * The one place that reads the environment: each SB_* variable of {@link NODE_ENV_VARS} maps onto
 * a field of the node config schema; SB_CONFIG_FILE names an optional JSON file with the same
 * fields, and the environment wins over the file.
 */
export const ENV_VARS = NODE_ENV_VARS;

const BOOLEAN_FIELDS = new Set<string>(['enableOpenSignup', 'metricsEnabled']);
const LIST_FIELDS = new Set<string>(['allowedOrigins', 'redisSentinels']);
const SECRET_FIELDS = new Set<string>(['clusterSecret', 'databaseUrl', 'redisUrl', 'redisPassword']);

/** Thrown when configuration is invalid; `message` is the one line printed before exit. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function envValue(field: string, name: string, raw: string): unknown {
  if (BOOLEAN_FIELDS.has(field)) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`invalid configuration: ${name}=${JSON.stringify(raw)} must be true or false`);
  }
  if (LIST_FIELDS.has(field)) return raw.split(',').map((item) => item.trim()).filter(Boolean);
  return raw;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid configuration: SB_CONFIG_FILE ${path} cannot be read (${(err as Error).message})`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`invalid configuration: SB_CONFIG_FILE ${path} is not a JSON object (${(err as Error).message})`);
  }
}

function fieldToEnv(field: string): string {
  const entry = Object.entries(ENV_VARS).find(([, value]) => value === field);
  return entry ? entry[0] : field;
}

/**
 * Builds the node's frozen configuration from an environment (and the file it names).
 * Throws {@link ConfigError} naming the first bad setting and what is wrong with it.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>): Readonly<NodeConfig> {
  const input: Record<string, unknown> = env.SB_CONFIG_FILE ? readConfigFile(env.SB_CONFIG_FILE) : {};
  for (const [name, field] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') input[field] = envValue(field, name, raw);
  }
  const result = nodeConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const where = field ? `${fieldToEnv(field)} (${field})` : 'configuration';
    const message = issue?.code === 'invalid_type' && input[field] === undefined ? 'is required' : issue?.message;
    throw new ConfigError(`invalid configuration: ${where} ${message}`);
  }
  const config = result.data;
  if (!config.nodeId) {
    const port = config.listen.slice(config.listen.lastIndexOf(':') + 1);
    const host = hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+/, '').slice(0, 50) || 'node';
    config.nodeId = `${host}-${port}`;
  }
  return Object.freeze(config);
}

/** The configuration with secrets and credentials redacted, for the start-up log line. */
export function redactConfig(config: NodeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!SECRET_FIELDS.has(key) || value === undefined) out[key] = value;
    else if (typeof value === 'string' && /^[a-z]+:\/\//.test(value)) out[key] = value.replace(/\/\/[^@/]*@/, '//***@');
    else out[key] = '***';
  }
  return out;
}

/** Splits `host:port` (IPv6 in brackets) into its parts. */
export function parseListen(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(listen.slice(at + 1)) };
}
