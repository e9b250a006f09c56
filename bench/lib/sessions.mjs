// The two measurement sessions of a run, one system at a time so neither competes with the
// other for the two cores: Switchboard (scenarios 2, 3, 5, 6) on a fresh database and cluster
// name, then Socket.IO (scenario 4 and its side of 5). Everything started is stopped, the
// database dropped and the Redis keys deleted, whatever fails.
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

async function switchboardSession({ options, size, log, dataset, generators, redis }) {
  return withCleanup(async (onCleanup) => {
    const database = await createDatabase();
    onCleanup(() => database.drop());
    const target = await startSwitchboard({ databaseUrl: database.url, leaderTtlMs: size.failover.leaderTtlMs, cpuProfDir: options.cpuProf });
    onCleanup(() => target.stop());
    await writeDataset(database.url, dataset);
    log(`[switchboard] 3 nodes up (cluster ${target.cluster}), ${dataset.users.length} users and ${dataset.channels.length} channels written`);
    const ctx = { size, log, dataset, generators, target, redis, balancerKind: options.balancer, scenario: 'end-to-end' };
    const out = {};
    const wanted = (name) => options.scenarios.includes(name);
    if (wanted('node-to-node') || wanted('end-to-end')) {
      const clients = await connectLoadClients(ctx);
      if (wanted('node-to-node')) out['node-to-node'] = await runNodeToNode(ctx);
      if (wanted('end-to-end')) out['end-to-end'] = { clients, ...(await runEndToEnd(ctx)) };
      await disconnectAll(generators);
    }
    if (wanted('connections')) out.connections = { switchboard: await runConnections({ ...ctx, scenario: 'connections' }) };
    if (wanted('failover')) out.failover = await runFailover({ ...ctx, scenario: 'failover' });
    return out;
  });
}

async function socketIoSession({ options, size, log, dataset, generators, redis }) {
  return withCleanup(async (onCleanup) => {
    const target = await startSocketIo({ cpuProfDir: options.cpuProf });
    onCleanup(() => target.stop());
    log('[socket.io] 3 servers up with the Redis adapter');
    const ctx = { size, log, dataset, generators, target, redis, scenario: 'baseline' };
    const out = {};
    if (options.scenarios.includes('baseline')) {
      const clients = await connectLoadClients(ctx);
      out.baseline = { clients, ...(await runEndToEnd(ctx)) };
      await disconnectAll(generators);
    }
    if (options.scenarios.includes('connections')) out.connections = await runConnections({ ...ctx, scenario: 'connections' });
    return out;
  });
}

/** Runs every selected scenario that needs servers; returns their results by scenario name. */
export async function runTargets({ options, size, log }) {
  const needSwitchboard = SWITCHBOARD_SCENARIOS.some((name) => options.scenarios.includes(name));
  const needSocketIo = SOCKETIO_SCENARIOS.some((name) => options.scenarios.includes(name));
  if (!needSwitchboard && !needSocketIo) return {};
  return withCleanup(async (onCleanup) => {
    const dataset = planDataset(size, size.failover.clients);
    const generators = startGenerators();
    onCleanup(() => generators.stop());
    const redis = connectRedis();
    onCleanup(async () => redis.disconnect());
    const shared = { options, size, log, dataset, generators, redis };
    const out = needSwitchboard ? await switchboardSession(shared) : {};
    if (needSocketIo) {
      const socketIo = await socketIoSession(shared);
      if (socketIo.baseline) out.baseline = socketIo.baseline;
      if (socketIo.connections) out.connections = { ...out.connections, socketio: socketIo.connections };
    }
    return out;
  });
}
