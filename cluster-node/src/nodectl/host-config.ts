import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { NODE_ID_PATTERN } from './args.js';
import { nodectlError } from './errors.js';

/** The `switchboard-node` bin shipped next to nodectl's. */
export const DEFAULT_NODE_BIN = fileURLToPath(new URL('../../bin/switchboard-node.js', import.meta.url));

/** Where the host config is looked for without `--config` or SB_NODECTL_CONFIG. @default './nodectl.json' */
export const DEFAULT_CONFIG_FILE = 'nodectl.json';

/** The node's own drain window when SB_DRAIN_MS is not set (the node config's default). @default 10000 */
export const DEFAULT_DRAIN_MS = 10_000;

const envSchema = z.record(
  z.string().regex(/^SB_[A-Z0-9_]+$/, 'must be an SB_* variable name (SB_ followed by A-Z, 0-9 or _)'),
  z.string(),
);

const listenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8065')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be 1-65535 (nodectl checks readiness on it)');

/** The host config file: where nodectl keeps its files and how each node on this host runs. */
export const hostConfigSchema = z
  .object({
    runDir: z.string().min(1, 'must name a directory'),
    bin: z.string().min(1).optional(),
    env: envSchema.default({}),
    nodes: z.record(
      z.string().regex(NODE_ID_PATTERN, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit'),
      z.object({ env: envSchema.default({}) }).strict(),
    ),
  })
  .strict()
  .superRefine((config, ctx) => {
    if ('SB_NODE_ID' in config.env) ctx.addIssue({ code: 'custom', path: ['env', 'SB_NODE_ID'], message: 'is set by nodectl from the node id' });
    const seen = new Map<string, string>();
    for (const [id, node] of Object.entries(config.nodes)) {
      const path = ['nodes', id, 'env'];
      if ('SB_NODE_ID' in node.env) ctx.addIssue({ code: 'custom', path: [...path, 'SB_NODE_ID'], message: 'is set by nodectl from the node id' });
      const listen = node.env.SB_LISTEN ?? config.env.SB_LISTEN;
      const parsed = listenSchema.safeParse(listen);
      if (!parsed.success) {
        const message = listen === undefined ? 'is required (here or in the shared env)' : parsed.error.issues[0]!.message;
        ctx.addIssue({ code: 'custom', path: [...path, 'SB_LISTEN'], message });
      } else if (seen.has(listen!)) {
        ctx.addIssue({ code: 'custom', path: [...path, 'SB_LISTEN'], message: `${listen} is also node ${seen.get(listen!)}'s` });
      } else seen.set(listen!, id);
      const drain = node.env.SB_DRAIN_MS ?? config.env.SB_DRAIN_MS;
      if (drain !== undefined && !/^\d+$/.test(drain)) ctx.addIssue({ code: 'custom', path: [...path, 'SB_DRAIN_MS'], message: 'must be a whole number of ms' });
    }
  });

/** One node as nodectl runs it. */
export interface HostNode {
  id: string;
  /** host:port of its HTTP listener (SB_LISTEN). */
  listen: string;
  /** Its drain window (SB_DRAIN_MS), ms. */
  drainMs: number;
  /** SB_* variables: shared ones, then the node's, then SB_NODE_ID. */
  env: Record<string, string>;
}

/** The validated host config, paths resolved against the config file's folder. */
export interface HostConfig {
  file: string;
  runDir: string;
  bin: string;
  nodes: Map<string, HostNode>;
}

/** `runDir` or `nodes.n1.env.SB_LISTEN` from an issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (i === 0 ? String(part) : `.${String(part)}`)).join('') || '(top level)';
}

function issueLine(issue: z.core.$ZodIssue, input: unknown): string {
  const field = fieldName(issue.path);
  if (issue.code === 'invalid_key') return `${field}: ${issue.issues[0]?.message ?? issue.message}`;
  if (issue.code === 'unrecognized_keys') return `${field === '(top level)' ? '' : `${field}: `}unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  let value: unknown = input;
  for (const part of issue.path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  if (issue.code === 'invalid_type' && value === undefined) return `${field} is required`;
  return `${field}: ${issue.message}`;
}

/**
 * Validates a parsed host config, resolving relative paths against `baseDir`. Throws a
 * `nodectl.config_invalid` error naming the first bad field.
 * @example parseHostConfig({ runDir: 'run', nodes: { n1: { env: { SB_LISTEN: '127.0.0.1:8065' } } } }, '/etc/switchboard', 'x.json')
 */
export function parseHostConfig(input: unknown, baseDir: string, file: string): HostConfig {
  const result = hostConfigSchema.safeParse(input);
  if (!result.success) {
    throw nodectlError('nodectl.config_invalid', `invalid host config ${file}: ${issueLine(result.error.issues[0]!, input)}`);
  }
  const config = result.data;
  const nodes = new Map<string, HostNode>();
  for (const [id, node] of Object.entries(config.nodes)) {
    const env: Record<string, string> = { ...config.env, ...node.env, SB_NODE_ID: id };
    nodes.set(id, { id, listen: env.SB_LISTEN!, drainMs: env.SB_DRAIN_MS ? Number(env.SB_DRAIN_MS) : DEFAULT_DRAIN_MS, env });
  }
  return { file, runDir: resolve(baseDir, config.runDir), bin: config.bin ? resolve(baseDir, config.bin) : DEFAULT_NODE_BIN, nodes };
}

/** The config file to use: `--config`, else SB_NODECTL_CONFIG, else ./nodectl.json. */
export function configPath(flag: string | undefined, env: Record<string, string | undefined>): string {
  return resolve(flag ?? (env.SB_NODECTL_CONFIG || DEFAULT_CONFIG_FILE));
}

/** Reads and validates the host config file; any problem is a `nodectl.config_invalid` error. */
export function loadHostConfig(file: string): HostConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw nodectlError('nodectl.config_invalid', `host config ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw nodectlError('nodectl.config_invalid', `host config ${file} is not valid JSON (${(err as Error).message})`);
  }
  return parseHostConfig(input, dirname(file), file);
}
