import { parseArgs } from 'node:util';

/** The `switchboard` usage text (`switchboard --help`). */
export const USAGE = `usage: switchboard <command> [options]

commands:
  console --web --profile FILE|local [--port N]
        start the console's web mode on 127.0.0.1 and print its URL (with a one-time token);
        runs until Ctrl-C or SIGTERM. The desktop console is the Electron app.
  status --profile FILE|local [--json]
        the cluster at a glance: nodes, leader, Redis and Postgres
  drill run <scenario|file> --profile FILE|local [--json] [--report out.html]
        run a failover drill: a built-in (kill-leader, kill-random-node, drain-node,
        rolling-restart, restart-redis, redis-sentinel-failover, restart-postgres), a saved
        scenario, or a YAML/JSON scenario file; a progress line per step on stderr; Ctrl-C
        halts it and restores the cluster (docs/DRILLS.md)

options:
  --profile FILE|local   a cluster profile (YAML or JSON), or the built-in local profile
  --port N               web mode: the port to listen on, 0-65535 (default 0: a free port)
  --json                 status, drill run: one JSON document on stdout (drill: the report,
                         with verdict, lost, unexpected, recovered and reordered at its top)
  --report FILE          drill run: also write the self-contained HTML report to FILE
  --help                 this text

exit codes: 0 ok (drill: Pass), 1 Redis or Postgres unreachable (status), a drill that failed or
was stopped, or another failure, 2 usage, profile or scenario error
`;

/** A validated command line. */
export type Invocation =
  | { command: 'help' }
  | { command: 'console'; profile: string; port: number }
  | { command: 'status'; profile: string; json: boolean }
  | { command: 'drill-run'; scenario: string; profile: string; json: boolean; report: string | undefined };

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
        report: { type: 'string' },
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
  if (command === 'drill') return drillCommand(extra, values);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (values.report !== undefined) throw new UsageError('--report is for drill run');
  switch (command) {
    case 'console':
      if (!values.web) throw new UsageError('console needs --web here (the desktop console is the Electron app)');
      if (values.json) throw new UsageError('--json is for status');
      return { command: 'console', profile: profileOf(values.profile, 'console'), port: portOf(values.port) };
    case 'status':
      if (values.web || values.port !== undefined) throw new UsageError('--web and --port are for console');
      return { command: 'status', profile: profileOf(values.profile, 'status'), json: values.json === true };
    case undefined:
      throw new UsageError('a command is required: console, status or drill');
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}: use console, status or drill`);
  }
}

/** `drill run <scenario|file> --profile … [--json] [--report FILE]`. */
function drillCommand(args: readonly string[], values: { profile?: string | undefined; json?: boolean | undefined; report?: string | undefined; web?: boolean | undefined; port?: string | undefined }): Invocation {
  const [sub, scenario, ...rest] = args;
  if (sub !== 'run') throw new UsageError(sub === undefined ? 'drill needs a subcommand: run' : `unknown drill subcommand ${JSON.stringify(sub)}: use run`);
  if (scenario === undefined || scenario === '') throw new UsageError('drill run needs a scenario: a built-in name, a saved scenario or a .yaml/.yml/.json file');
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (values.web || values.port !== undefined) throw new UsageError('--web and --port are for console');
  if (values.report === '') throw new UsageError('--report needs a file name');
  return { command: 'drill-run', scenario, profile: profileOf(values.profile, 'drill run'), json: values.json === true, report: values.report };
}
