import { parseArgs } from 'node:util';

/** The `switchboard` usage text (`switchboard --help`). */
export const USAGE = `usage: switchboard <command> [options]

commands:
  console --web --profile FILE|local [--port N]
        start the console's web mode on 127.0.0.1 and print its URL (with a one-time token);
        runs until Ctrl-C or SIGTERM. The desktop console is the Electron app.
  status --profile FILE|local [--json]
        the cluster at a glance: nodes, leader, Redis and Postgres

options:
  --profile FILE|local   a cluster profile (YAML or JSON), or the built-in local profile
  --port N               web mode: the port to listen on, 0-65535 (default 0: a free port)
  --json                 status: one JSON document on stdout
  --help                 this text

exit codes: 0 ok, 1 Redis or Postgres unreachable (status) or a failure, 2 usage or profile error
`;

/** A validated command line. */
export type Invocation =
  | { command: 'help' }
  | { command: 'console'; profile: string; port: number }
  | { command: 'status'; profile: string; json: boolean };

/** A command line that cannot run; `message` is the one line to print. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function profileOf(value: string | undefined, command: string): string {
  if (value === undefined || value === '') throw new UsageError(`${command} needs --profile FILE or --profile local`);
  return value;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * Parses and validates the arguments (node:util parseArgs, strict: unknown flags are refused).
 * @example parseCommandLine(['status', '--profile', 'local', '--json'])
 */
export function parseCommandLine(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        profile: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        web: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === 'help') return { command: 'help' };
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  switch (command) {
    case 'console':
      if (!values.web) throw new UsageError('console needs --web here (the desktop console is the Electron app)');
      if (values.json) throw new UsageError('--json is for status');
      return { command: 'console', profile: profileOf(values.profile, 'console'), port: portOf(values.port) };
    case 'status':
      if (values.web || values.port !== undefined) throw new UsageError('--web and --port are for console');
      return { command: 'status', profile: profileOf(values.profile, 'status'), json: values.json === true };
    case undefined:
      throw new UsageError('a command is required: console or status');
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}: use console or status`);
  }
}
