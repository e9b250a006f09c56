// The servers of a run and the scenarios that need them: three Switchboard nodes on a fresh
// database and cluster name, three Socket.IO servers on a fresh adapter key. Both stay up, but
// only one is loaded at a time (an idle server costs next to nothing): the end-to-end loads
// alternate between them phase by phase, and each connections measurement restarts its own
// system. Everything started is stopped, the database dropped and the Redis keys deleted,
// whatever fails.
import { planDataset, writeDataset } from './dataset.mjs';
import { connectUsers, disconnectAll, startGenerators } from './harness.mjs';
import { connectRedis, createDatabase } from './services.mjs';
import { startSocketIo, startSwitchboard } from './targets.mjs';
import { runConnections } from '../scenarios/connections.mjs';
import { runEndToEnd } from '../scenarios/end-to-end.mjs';
import { runFailover } from '../scenarios/failover.mjs';
import { runNodeToNode } from '../scenarios/node-to-node.mjs';

const SWITCHBOARD_SCENARIOS = ['node-to-node', 'end-to-end', 'connections', 'failover'];
const SOCKETIO_SCENARIOS = ['baseline', 'connections'];

/** Runs `body`, then every cleanup step registered on the way, in reverse, even after a failure. */
async function withCleanup(body) {
  const steps = [];
  try {
    return await body((step) => steps.push(step));
  } finally {
    for (const step of steps.reverse()) await step().catch((err) => process.stderr.write(`bench: cleanup failed: ${err.message}\n`));
  }
}

/** Clients of users 0..mixUsers-1 on nodes B and C: the big channel's members and the mix. */
async function connectLoadClients(ctx) {
  const users = Array.from({ length: ctx.size.mixUsers }, (_, i) => i);
  const done = await connectUsers(ctx.generators, ctx.target, ctx.dataset, users, ctx.target.urls.slice(1));
  ctx.log(`[${ctx.target.kind}] ${done.connected} clients on nodes B and C in ${done.ms} ms (${done.failed} failed; ${done.otherEvents} other events received while connecting)`);
  if (done.connected === 0) throw new Error(`no client could connect to ${ctx.target.label}`);
  return done;
}

async function startTargets({ options, size, log, dataset, wanted }, onCleanup) {
  let switchboard;
  let socketIo;
  if (SWITCHBOARD_SCENARIOS.some(wanted)) {
    const database = await createDatabase();
    onCleanup(() => database.drop());
    switchboard = await startSwitchboard({ databaseUrl: database.url, leaderTtlMs: size.failover.leaderTtlMs, cpuProfDir: options.cpuProf });
    onCleanup(() => switchboard.stop());
    await writeDataset(database.url, dataset);
    log(`[switchboard] 3 nodes up (cluster ${switchboard.cluster}), ${dataset.users.length} users and ${dataset.channels.length} channels written`);
  }
  if (SOCKETIO_SCENARIOS.some(wanted)) {
    socketIo = await startSocketIo({ cpuProfDir: options.cpuProf });
    onCleanup(() => socketIo.stop());
    log('[socket.io] 3 servers up with the Redis adapter');
  }
  return { switchboard, socketIo };
}

/** Node to node, then the end-to-end loads on both systems, interleaved. */
async function runLoads(shared, sb, sio, out) {
  const { wanted, generators } = shared;
  const sides = [];
  if (sb && (wanted('node-to-node') || wanted('end-to-end'))) sides.push({ ...sb, clients: await connectLoadClients(sb) });
  if (sio && wanted('baseline')) sides.push({ ...sio, clients: await connectLoadClients(sio) });
  if (sb && wanted('node-to-node')) out['node-to-node'] = await runNodeToNode(sb);
  const loaded = sides.filter((side) => (side.target.kind === 'switchboard' ? wanted('end-to-end') : true));
  if (loaded.length > 0) {
    const results = await runEndToEnd(loaded);
    loaded.forEach((side, i) => (out[side.scenario] = { clients: side.clients, ...results[i] }));
  }
  if (sides.length > 0) await disconnectAll(generators);
}

/** Runs every selected scenario that needs servers; returns their results by scenario name. */
export async function runTargets({ options, size, log }) {
  const wanted = (name) => options.scenarios.includes(name);
  if (![...SWITCHBOARD_SCENARIOS, ...SOCKETIO_SCENARIOS].some(wanted)) return {};
  return withCleanup(async (onCleanup) => {
    const dataset = planDataset(size, size.failover.clients);
    const generators = startGenerators();
    onCleanup(() => generators.stop());
    const redis = connectRedis();
    onCleanup(async () => redis.disconnect());
    const shared = { options, size, log, dataset, generators, redis, wanted };
    const { switchboard, socketIo } = await startTargets(shared, onCleanup);
    const base = { size, log, dataset, generators, redis, balancerKind: options.balancer };
    const sb = switchboard && { ...base, target: switchboard, scenario: 'end-to-end' };
    const sio = socketIo && { ...base, target: socketIo, scenario: 'baseline' };
    const out = {};
    await runLoads(shared, sb, sio, out);
    if (wanted('connections')) {
      out.connections = {};
      if (sb) out.connections.switchboard = await runConnections({ ...sb, scenario: 'connections' });
      if (sio) out.connections.socketio = await runConnections({ ...sio, scenario: 'connections' });
    }
    if (sb && wanted('failover')) out.failover = await runFailover({ ...sb, scenario: 'failover' });
    return out;
  });
}
