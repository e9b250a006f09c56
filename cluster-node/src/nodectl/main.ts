import { parseArgs, USAGE, type Invocation } from './args.js';
import { drainNode, killNode, listNodes, nodeLogs, restartNode, startNode, type NodeStatus } from './commands.js';
import { describeError, EXIT, exitCodeOf } from './errors.js';
import { configPath, loadHostConfig } from './host-config.js';

/** Where nodectl writes; a seam for tests. */
export interface NodectlOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A command's result: the JSON document (`--json`) and the text shown otherwise. */
interface Outcome {
  json: Record<string, unknown>;
  text: string;
}

const WIDTHS = [20, 8, 8, 24];

function row(columns: string[]): string {
  return columns.map((column, i) => column.padEnd(WIDTHS[i] ?? 0)).join(' ');
}

function table(nodes: NodeStatus[]): string {
  const lines = [row(['ID', 'PID', 'RUNNING', 'LISTEN', 'STATE'])];
  for (const node of nodes) lines.push(row([node.id, String(node.pid ?? '-'), String(node.running), node.listen, node.state]));
  return lines.join('\n');
}

async function run(invocation: Exclude<Invocation, { command: 'help' }>, env: Record<string, string | undefined>): Promise<Outcome> {
  const config = loadHostConfig(configPath(invocation.config, env));
  const id = invocation.id!;
  switch (invocation.command) {
    case 'list': {
      const nodes = await listNodes(config);
      return { json: { ok: true, nodes }, text: table(nodes) };
    }
    case 'logs': {
      const lines = nodeLogs(config, id, invocation.lines);
      return { json: { ok: true, id, lines }, text: lines.join('\n') };
    }
    case 'start': {
      const node = await startNode(config, id);
      return { json: { ok: true, action: 'start', node }, text: `${id} started (pid ${node.pid}, ${node.listen})` };
    }
    case 'drain': {
      const node = await drainNode(config, id);
      return { json: { ok: true, action: 'drain', node }, text: `${id} drained and exited (pid ${node.pid})` };
    }
    case 'kill': {
      const node = await killNode(config, id);
      return { json: { ok: true, action: 'kill', node }, text: `${id} killed (pid ${node.pid})` };
    }
    case 'restart': {
      const node = await restartNode(config, id);
      return { json: { ok: true, action: 'restart', node }, text: `${id} restarted (pid ${node.pid}, ${node.listen})` };
    }
  }
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

/**
 * `nodectl`: parses the arguments (nothing runs before they pass), loads the host config, runs
 * the command. Resolves with the exit code; with `--json` stdout gets exactly one JSON document,
 * errors included (`{ok: false, error: {id, message}}`), and stderr one line per error.
 * @example process.exit(await main(process.argv.slice(2)));
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
  output: NodectlOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // Decided from the raw arguments so even a usage error comes back as JSON when asked.
  const json = argv.includes('--json');
  try {
    const invocation = parseArgs(argv);
    if (invocation.command === 'help') {
      await write(output.stdout, json ? `${JSON.stringify({ ok: true, usage: USAGE })}\n` : USAGE);
      return EXIT.ok;
    }
    const outcome = await run(invocation, env);
    await write(output.stdout, json ? `${JSON.stringify(outcome.json)}\n` : outcome.text ? `${outcome.text}\n` : '');
    return EXIT.ok;
  } catch (err) {
    const error = describeError(err);
    await write(output.stderr, `nodectl: ${error.message}\n`);
    if (json) await write(output.stdout, `${JSON.stringify({ ok: false, error })}\n`);
    return exitCodeOf(err);
  }
}
