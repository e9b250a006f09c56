// The demo's chat nodes, run the way the `local` profile runs them: through nodectl with a host
// config in .run/demo/nodectl.json (run files and logs in .run/demo/nodes). The console starts,
// drains and kills the same nodes through the same nodectl, as it would over SSH. nodectl runs
// nodes detached, so they are not the demo's children: the demo drains them itself on the way out.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './net.mjs';
import { DemoError } from './postgres.mjs';

const execFileAsync = promisify(execFile);

/** The demo's node ids and the ports each prefers. */
export const DEMO_NODES = [
  { id: 'n1', port: 8065 },
  { id: 'n2', port: 8066 },
  { id: 'n3', port: 8067 },
];

/** The nodes' drain window in the demo, ms (short, so Ctrl-C is quick; production uses 10 s). @default 2000 */
export const DEMO_DRAIN_MS = 2_000;

/** The demo cluster's name: the nodes' SB_CLUSTER, the Redis key prefix. @default 'switchboard' */
export const DEMO_CLUSTER = 'switchboard';

/** Paths of the demo's nodectl host config and run folder. */
export function nodectlPaths(root) {
  return { config: join(root, '.run', 'demo', 'nodectl.json'), runDir: join(root, '.run', 'demo', 'nodes'), bin: join(root, 'cluster-node', 'bin', 'nodectl.js') };
}

/** Runs `nodectl <args> --json` with the demo's host config; resolves with its JSON document. */
export async function nodectl(root, args) {
  const { config, bin } = nodectlPaths(root);
  let stdout;
  try {
    ({ stdout } = await execFileAsync(process.execPath, [bin, '--config', config, ...args, '--json'], { cwd: root, timeout: 60_000 }));
  } catch (err) {
    stdout = err.stdout ?? '';
  }
  let result;
  try {
    result = JSON.parse(stdout);
  } catch {
    return { ok: false, error: { id: 'nodectl.no_output', message: `nodectl ${args.join(' ')} printed no JSON` } };
  }
  return result;
}

/** Kills nodes an earlier demo left running (it was killed before it could stop them). */
export async function stopLeftoverNodes(root, progress) {
  if (!existsSync(nodectlPaths(root).config)) return [];
  const listing = await nodectl(root, ['list']);
  const running = listing.ok ? listing.nodes.filter((node) => node.running) : [];
  for (const node of running) {
    progress(`node ${node.id} (pid ${node.pid}) was left running by an earlier demo: killing it`);
    await nodectl(root, ['kill', node.id]);
  }
  return running.map((node) => node.id);
}

/**
 * Writes the host config for three nodes on free ports (8065-8067 when free) sharing the demo's
 * Postgres, Redis, cluster name and a fresh cluster secret. The file holds that secret and the
 * database URL: it is readable by its owner only, under .run/ (ignored by git).
 */
export async function writeNodectlConfig(root, { databaseUrl, redisUrl, cluster }) {
  const { config, runDir } = nodectlPaths(root);
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const nodes = [];
  for (const { id, port: preferred } of DEMO_NODES) {
    const taken = new Set(nodes.map((node) => node.port));
    let port = await freePort(preferred);
    while (taken.has(port)) port = await freePort();
    nodes.push({ id, port, url: `http://127.0.0.1:${port}`, preferred });
  }
  const hostConfig = {
    runDir: 'nodes',
    env: {
      SB_DATABASE_URL: databaseUrl,
      SB_REDIS_URL: redisUrl,
      SB_CLUSTER: cluster,
      SB_CLUSTER_SECRET: randomBytes(24).toString('base64url'),
      SB_DRAIN_MS: String(DEMO_DRAIN_MS),
      SB_LOG_LEVEL: 'info',
    },
    nodes: Object.fromEntries(nodes.map((node) => [node.id, { env: { SB_LISTEN: `127.0.0.1:${node.port}` } }])),
  };
  writeFileSync(config, `${JSON.stringify(hostConfig, null, 2)}\n`, { mode: 0o600 });
  return { config, runDir, nodes };
}

/** Starts every node through nodectl, in parallel (migrations run once, under an advisory lock). */
export async function startNodes(root, nodes) {
  const results = await Promise.all(nodes.map((node) => nodectl(root, ['start', node.id])));
  const failed = results.map((result, i) => ({ result, node: nodes[i] })).filter(({ result }) => !result.ok);
  if (failed.length > 0) {
    const why = failed.map(({ node, result }) => `${node.id}: ${result.error?.message ?? 'failed'}`).join('\n');
    throw new DemoError(`nodectl could not start every node (logs in .run/demo/nodes/):\n${why}`);
  }
  return results.map((result) => result.node);
}

/** Drains every running node through nodectl (kills one that does not exit); resolves with what was stopped. */
export async function stopNodes(root, progress) {
  const listing = await nodectl(root, ['list']);
  if (!listing.ok) throw new Error(`nodectl list failed: ${listing.error?.message}`);
  const running = listing.nodes.filter((node) => node.running);
  await Promise.all(
    running.map(async (node) => {
      const drained = await nodectl(root, ['drain', node.id]);
      if (drained.ok) return;
      progress(`node ${node.id} did not drain (${drained.error?.message}): killing it`);
      const killed = await nodectl(root, ['kill', node.id]);
      if (!killed.ok && killed.error?.id !== 'nodectl.conflict') throw new Error(`node ${node.id}: ${killed.error?.message}`);
    }),
  );
  return running;
}
