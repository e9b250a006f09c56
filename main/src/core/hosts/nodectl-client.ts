import { ERRORS, type ProfileHost } from '@switchboard/shared';
import { z } from 'zod';
import { hostError, NodectlError, type NodectlErrorId } from './errors.js';
import { splitWords } from './shell-words.js';
import type { ExecResult } from './transport.js';

/**
 * Running nodectl (cluster-node/src/nodectl) on a host and reading its answer. With `--json`
 * nodectl prints exactly one JSON document on stdout and exits 0 ok, 1 failed, 2 usage or
 * config, 3 unknown node, 4 conflicting state; the schemas below mirror its output shapes.
 */

/** Node ids nodectl accepts (its own rule): never shell syntax. */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The node actions the console offers. */
export const NODE_ACTIONS = ['start', 'drain', 'kill', 'restart'] as const;

/** One of {@link NODE_ACTIONS}. */
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** The most log lines nodectl returns (its MAX_LOG_LINES). @default 10000 */
export const MAX_LOG_LINES = 10_000;

/** One node as nodectl reports it. */
export const nodectlNodeSchema = z.object({
  id: z.string().regex(NODE_ID_PATTERN),
  pid: z.number().int().positive().nullable(),
  running: z.boolean(),
  listen: z.string(),
  state: z.enum(['active', 'draining', 'stopped', 'unreachable']),
});

/** A node as nodectl reports it. */
export type NodectlNode = z.infer<typeof nodectlNodeSchema>;

/** `nodectl list --json`. */
export const nodectlListSchema = z.object({ ok: z.literal(true), nodes: z.array(nodectlNodeSchema) });
/** `nodectl <start|drain|kill|restart> <id> --json`. */
export const nodectlActionSchema = z.object({ ok: z.literal(true), action: z.enum(NODE_ACTIONS), node: nodectlNodeSchema });
/** `nodectl logs <id> --lines N --json`. */
export const nodectlLogsSchema = z.object({ ok: z.literal(true), id: z.string(), lines: z.array(z.string()) });
/** Any failed `--json` run. */
export const nodectlErrorSchema = z.object({ ok: z.literal(false), error: z.object({ id: z.string(), message: z.string() }) });

/** nodectl's exit codes and the error each stands for. */
const BY_EXIT_CODE: Record<number, NodectlErrorId> = { 1: 'nodectl.action_failed', 2: 'nodectl.usage', 3: 'nodectl.unknown_node', 4: 'nodectl.conflict' };

/** What nodectl is asked to do. */
export type NodectlCommand = { command: 'list' } | { command: NodeAction; id: string } | { command: 'logs'; id: string; lines: number };

/**
 * The argv that runs nodectl on `host`: the host's `nodectl.command` split into words (quotes
 * allowed, nothing expanded), the command, `--json`, and `--config` when the profile names one.
 * @example nodectlArgv(host, { command: 'start', id: 'n1' }) // ['nodectl', 'start', 'n1', '--json', '--config', '/etc/sb/nodectl.json']
 */
export function nodectlArgv(host: ProfileHost, request: NodectlCommand): string[] {
  let base: string[];
  try {
    base = splitWords(host.nodectl.command);
  } catch (err) {
    throw hostError('hosts.invalid_argument', `host ${host.name}: nodectl.command cannot be split into words (${(err as Error).message})`);
  }
  if (base.length === 0) throw hostError('hosts.invalid_argument', `host ${host.name}: nodectl.command is empty`);
  const argv = [...base, request.command];
  if (request.command !== 'list') argv.push(request.id);
  if (request.command === 'logs') argv.push('--lines', String(request.lines));
  argv.push('--json');
  if (host.nodectl.config !== undefined) argv.push('--config', host.nodectl.config);
  return argv;
}

/** The last line of a text, for messages. */
function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** The single JSON document nodectl printed, or undefined. */
function document(stdout: string): unknown {
  try {
    return JSON.parse(stdout.trim());
  } catch {
    return undefined;
  }
}

/**
 * Reads a nodectl run: on exit 0 its output parsed with `schema`; on exit 1-4 a
 * {@link NodectlError} with nodectl's own id and message; anything else (127: nodectl not found;
 * 255: ssh trouble) `hosts.command_failed` with the last line of stderr. Output that does not fit
 * the schema is `hosts.bad_output`.
 */
export function readNodectlResult<T>(schema: z.ZodType<T>, run: ExecResult, context: { host: string; node?: string }): T {
  const doc = document(run.stdout);
  if (run.code === 0) {
    const parsed = schema.safeParse(doc);
    if (parsed.success) return parsed.data;
    const snippet = run.stdout.trim().slice(0, 200);
    throw hostError('hosts.bad_output', `host ${context.host}: nodectl's answer does not fit the expected shape: ${snippet || '(empty)'}`, {
      detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    });
  }
  const byCode = BY_EXIT_CODE[run.code];
  if (byCode === undefined) {
    throw hostError('hosts.command_failed', `host ${context.host}: nodectl exited with code ${run.code}: ${lastLine(run.stderr) || lastLine(run.stdout) || 'no output'}`);
  }
  const failure = nodectlErrorSchema.safeParse(doc);
  const reported = failure.success ? failure.data.error : undefined;
  const id = reported && reported.id.startsWith('nodectl.') && reported.id in ERRORS ? (reported.id as NodectlErrorId) : byCode;
  const message = reported?.message ?? (lastLine(run.stderr).replace(/^nodectl: /, '') || `nodectl exited with code ${run.code}`);
  throw new NodectlError(id, context.host, context.node, run.code, message);
}
