#!/usr/bin/env node
// `npm run demo`: brings up what a Switchboard demo needs, one step at a time, prints where it
// is, and stops everything it started on Ctrl-C or SIGTERM. `--smoke` starts everything, checks
// it answers, prints OK and stops (exit 0) — the CI-friendly check of the README's first command.
// Steps are a list so later pieces (Redis, more nodes, HAProxy, the console) slot in.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from './lib/children.mjs';
import { answers200, freePort, waitFor } from './lib/net.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm run demo [-- --smoke]

Starts Postgres (SB_DATABASE_URL, the local server on 127.0.0.1:5432, or a private one in
.run/demo/pg) and one Switchboard node, and prints its URL. Ctrl-C stops everything.
  --smoke   start everything, check /api/v4/system/ping, print OK, stop, exit 0
`;

/** Everything the steps share: options, the supervisor of child processes, and what they found. */
const ctx = {
  root,
  smoke: false,
  stopping: false,
  supervisor: undefined,
  database: undefined,
  nodes: [],
  progress: (line) => process.stdout.write(`demo: ${line}\n`),
};

/** Builds shared/ and cluster-node/ if their output is missing (e.g. right after npm ci). */
async function ensureBuilt() {
  if (!existsSync(join(root, 'node_modules', 'typescript'))) {
    throw new UserError('node_modules is missing or incomplete: run `npm ci` first');
  }
  if (existsSync(join(root, 'cluster-node', 'dist', 'main.js')) && existsSync(join(root, 'shared', 'dist', 'index.js'))) {
    return 'cluster-node/dist is there (run `npm run build` after changing the sources)';
  }
  ctx.progress('cluster-node/dist is missing: running npm run build');
  // tsc -b trusts its .tsbuildinfo files: with dist deleted they would make it build nothing.
  for (const dir of ['shared', 'cluster-node']) rmSync(join(root, dir, 'tsconfig.tsbuildinfo'), { force: true });
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new UserError(`npm run build failed (${result.error?.message ?? `exit ${result.status}`})`);
  if (!existsSync(join(root, 'cluster-node', 'dist', 'main.js'))) throw new UserError('npm run build did not produce cluster-node/dist/main.js');
  return 'built';
}

/** Finds or starts Postgres and makes sure the demo database exists. */
async function ensurePostgres() {
  const { resolveDatabase, redactUrl, DemoError } = await import('./lib/postgres.mjs');
  try {
    ctx.database = await resolveDatabase(ctx);
  } catch (err) {
    throw err instanceof DemoError ? new UserError(err.message) : err;
  }
  return `${redactUrl(ctx.database.url)} (${ctx.database.description})`;
}

/** A step that starts one chat node on `preferredPort` (or a free one) and waits for its ping. */
function startNode(nodeId, preferredPort) {
  return async () => {
    const port = await freePort(preferredPort);
    if (port !== preferredPort) ctx.progress(`port ${preferredPort} is taken: node ${nodeId} uses ${port}`);
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      SB_DATABASE_URL: ctx.database.url,
      SB_LISTEN: `127.0.0.1:${port}`,
      SB_NODE_ID: nodeId,
      SB_DRAIN_MS: process.env.SB_DRAIN_MS ?? '1000',
    };
    const logFile = join(root, '.run', 'demo', 'logs', `${nodeId}.log`);
    const child = ctx.supervisor.start(`node ${nodeId}`, process.execPath, [join(root, 'cluster-node', 'bin', 'switchboard-node.js')], {
      env,
      cwd: root,
      logFile,
    });
    await waitFor(`node ${nodeId}`, () => answers200(`${url}/api/v4/system/ping`), {
      timeoutMs: 60_000,
      abort: () => child.exited && `it exited; last lines of ${relative(root, logFile)}:\n${child.tail.slice(-12).join('\n')}`,
    });
    ctx.nodes.push({ nodeId, url, logFile });
    return `${url} answers /api/v4/system/ping`;
  };
}

/** What `npm run demo` brings up, in order; each step returns a one-line result. */
const STEPS = [
  { title: 'build', run: ensureBuilt },
  { title: 'Postgres', run: ensurePostgres },
  { title: 'node demo-1', run: startNode('demo-1', 8065) },
];

/** An error whose message is all the user needs (no stack trace). */
class UserError extends Error {}

/** Stops everything started so far and exits with `code`, once. */
async function shutdown(code, reason) {
  if (ctx.stopping) return;
  ctx.stopping = true;
  if (reason) process.stdout.write(`demo: ${reason}\n`);
  if (ctx.supervisor.children.length > 0) ctx.progress('stopping everything it started');
  await ctx.supervisor.stopAll();
  ctx.progress(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

/** Called when a child exits that nobody asked to stop. */
function onUnexpectedExit(child, { code, signal, error }) {
  if (ctx.stopping) return;
  const how = error ? `could not start (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const tail = child.tail.length > 0 ? `\nlast lines of ${relative(root, child.logFile)}:\n${child.tail.slice(-12).join('\n')}` : '';
  process.stderr.write(`demo: ${child.name} ${how} unexpectedly; stopping the demo.${tail}\n`);
  void shutdown(1);
}

function printReady() {
  const [first] = ctx.nodes;
  const lines = [
    '',
    `Switchboard is running at ${first.url}`,
    ...ctx.nodes.map((node) => `  node ${node.nodeId}: ${node.url}  (log: ${relative(root, node.logFile)})`),
    '',
    'Sign up the first user; the first user becomes the system admin:',
    `  curl -i -X POST ${first.url}/api/v4/users -H 'Content-Type: application/json' \\`,
    `    -d '{"username":"admin","email":"admin@example.com","password":"choose-a-password"}'`,
    `Then log in from any Mattermost API v4 client (e.g. @mattermost/client) at ${first.url}.`,
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function run(argv) {
  for (const arg of argv) {
    if (arg === '--smoke') ctx.smoke = true;
    else if (arg === '--help' || arg === '-h') return void process.stdout.write(USAGE);
    else throw new UserError(`unknown option ${arg}\n${USAGE}`);
  }
  ctx.supervisor = new Supervisor(onUnexpectedExit);
  process.on('SIGINT', () => void shutdown(0, 'SIGINT received'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM received'));
  for (const [index, step] of STEPS.entries()) {
    ctx.progress(`[${index + 1}/${STEPS.length}] ${step.title}...`);
    const result = await step.run();
    if (ctx.stopping) return;
    ctx.progress(`[${index + 1}/${STEPS.length}] ${step.title}: ${result}`);
  }
  if (ctx.smoke) {
    process.stdout.write(`OK: ${ctx.nodes.map((node) => `${node.nodeId} ${node.url}`).join(', ')} answered /api/v4/system/ping\n`);
    return shutdown(0);
  }
  printReady();
}

run(process.argv.slice(2)).catch((err) => {
  if (ctx.stopping) return; // a step failed because we were already stopping everything
  process.stderr.write(`demo: ${err instanceof UserError ? err.message : err.stack}\n`);
  if (ctx.supervisor) void shutdown(1);
  else process.exit(1);
});
