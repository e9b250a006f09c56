import { nodectlError } from './errors.js';

/** Node ids nodectl accepts: the node config's own rule, so an id is never shell syntax. */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `logs` prints this many lines unless `--lines` says otherwise. @default 100 */
export const DEFAULT_LOG_LINES = 100;

/** The most lines `logs --lines` may ask for. @default 10000 */
export const MAX_LOG_LINES = 10_000;

/** nodectl's commands; all but `list` take a node id. */
export const COMMANDS = ['list', 'start', 'drain', 'kill', 'restart', 'logs'] as const;

/** One of {@link COMMANDS}. */
export type Command = (typeof COMMANDS)[number];

/** A validated command line. */
export type Invocation =
  | { command: 'help' }
  | { command: Command; id?: string; json: boolean; config?: string; lines: number };

/** The usage text (`nodectl --help`). */
export const USAGE = `usage: nodectl <command> [options]

commands:
  list                 every configured node: id, pid, running, listen, state
  start <id>           start a node and wait until system/ping answers 200
  drain <id>           SIGTERM (the node drains itself) and wait for it to exit
  kill <id>            SIGKILL and wait for it to exit
  restart <id>         drain (if running), then start
  logs <id>            the last lines of the node's log

options:
  --json               print one JSON document on stdout
  --config FILE        host config (default: $SB_NODECTL_CONFIG, else ./nodectl.json)
  --lines N            logs only: how many lines, 1-${MAX_LOG_LINES} (default ${DEFAULT_LOG_LINES})

exit codes: 0 ok, 1 action failed, 2 usage or config error, 3 unknown node, 4 conflicting state
`;

function usageError(message: string) {
  return nodectlError('nodectl.usage', `${message} (nodectl --help for usage)`);
}

/** Splits `--flag=value` / `--flag value` into flags and positionals, refusing unknown or repeated flags. */
function scan(argv: readonly string[]): { flags: Map<string, string | true>; positionals: string[] } {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags.has(name)) throw usageError(`${name} given twice`);
    if (name === '--json' || name === '--help' || name === '-h') {
      if (eq > 0) throw usageError(`${name} takes no value`);
      flags.set(name, true);
    } else if (name === '--config' || name === '--lines') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw usageError(`${name} needs a value`);
      flags.set(name, value);
    } else {
      throw usageError(`unknown option ${JSON.stringify(name)}`);
    }
  }
  return { flags, positionals };
}

function parseLines(raw: string | true | undefined, command: Command): number {
  if (raw === undefined) return DEFAULT_LOG_LINES;
  if (command !== 'logs') throw usageError('--lines applies to logs only');
  const value = String(raw);
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LOG_LINES) {
    throw usageError(`--lines must be a whole number from 1 to ${MAX_LOG_LINES}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Parses and validates nodectl's arguments (without the `node` and script entries); throws a
 * `nodectl.usage` error naming what is wrong. Nothing is read or run before this passes.
 * @example parseArgs(['logs', 'n1', '--lines', '5', '--json']) // { command: 'logs', id: 'n1', lines: 5, json: true }
 */
export function parseArgs(argv: readonly string[]): Invocation {
  const { flags, positionals } = scan(argv);
  const [name, ...rest] = positionals;
  if (flags.has('--help') || flags.has('-h') || name === 'help') return { command: 'help' };
  if (name === undefined) throw usageError('missing command');
  if (!(COMMANDS as readonly string[]).includes(name)) throw usageError(`unknown command ${JSON.stringify(name)}`);
  const command = name as Command;
  const expected = command === 'list' ? 0 : 1;
  if (rest.length < expected) throw usageError(`${command} needs a node id`);
  if (rest.length > expected) throw usageError(`unexpected argument ${JSON.stringify(rest[expected])}`);
  const id = rest[0];
  if (id !== undefined && !NODE_ID_PATTERN.test(id)) {
    throw usageError(`invalid node id ${JSON.stringify(id)}: must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit`);
  }
  const config = flags.get('--config');
  return {
    command,
    id,
    json: flags.has('--json'),
    config: typeof config === 'string' ? config : undefined,
    lines: parseLines(flags.get('--lines'), command),
  };
}
