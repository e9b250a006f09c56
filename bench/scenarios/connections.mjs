// Scenario 5, connections: resident memory per 1,000 idle WebSocket clients per node, then the
// most clients three nodes hold with p99 under 50 ms while 100 posts/s flow (bounded steps).
import { mixChannelsWithin } from '../lib/dataset.mjs';
import { connectUsers, disconnectAll, runPhase, settle } from '../lib/harness.mjs';
import { rssBytes, sleep } from '../lib/procs.mjs';
import { round3, seededRandom } from '../lib/stats.mjs';
import { held } from './end-to-end.mjs';

const MIB = 1024 * 1024;

function range(from, to) {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function perNodeCounts(count) {
  return [0, 1, 2].map((i) => Math.floor(count / 3) + (i < count % 3 ? 1 : 0));
}

/**
 * Connects `count` idle clients round-robin over three fresh nodes in two halves and reads each
 * node's RSS after each: the per-client figure is the slope between the halves, so what a fresh
 * process allocates on its first connections (JIT, pools, buffers) is not charged to clients.
 */
async function idleMemory(ctx, count) {
  const { target, generators, dataset, log } = ctx;
  await disconnectAll(generators);
  // Fresh processes: what earlier scenarios left in the heap would blur a per-client figure.
  await target.restartAll();
  const half = Math.floor(count / 2);
  const first = await connectUsers(generators, target, dataset, range(0, half), target.urls);
  await sleep(ctx.size.settleMs * 1.5);
  const middle = target.nodes.map((node) => rssBytes(node.pid));
  log(`[connections] ${target.label}: ${half} idle clients over 3 nodes, RSS ${middle.map((b) => Math.round(b / MIB)).join(', ')} MiB; now ${count}`);
  const second = await connectUsers(generators, target, dataset, range(half, count), target.urls);
  await sleep(ctx.size.settleMs * 1.5);
  const after = target.nodes.map((node) => rssBytes(node.pid));
  const added = perNodeCounts(count).map((n, i) => n - perNodeCounts(half)[i]);
  const perThousandMiB = after.map((bytes, i) => round3((bytes - middle[i]) / MIB / (added[i] / 1000)));
  const totalMiB = round3(after.reduce((sum, bytes) => sum + bytes, 0) / MIB);
  log(`[connections] ${target.label}: ${count} connected (${first.ms + second.ms} ms); +${perThousandMiB.join(', ')} MiB per 1,000 per node; ${totalMiB} MiB in all`);
  return {
    clients: count,
    perNode: perNodeCounts(count),
    connected: first.connected + second.connected,
    failed: first.failed + second.failed,
    connectMs: first.ms + second.ms,
    otherEvents: second.otherEvents,
    rssHalfMiB: middle.map((b) => round3(b / MIB)),
    rssAfterMiB: after.map((b) => round3(b / MIB)),
    perThousandMiB,
    totalMiB,
  };
}

/**
 * Steps the client count up; each step runs `rate` posts/s over the mixed channels of its users.
 * Starts from the `connected` idle clients when the first step holds at least as many.
 */
async function maxClients(ctx, idleClients) {
  const { target, generators, dataset, size, log } = ctx;
  const { steps, rate, durationMs, connectBudgetMs } = size.connections;
  let connected = idleClients;
  if (steps[0] < idleClients) {
    await disconnectAll(generators);
    connected = 0;
  }
  const results = [];
  let best = 0;
  for (const clients of steps) {
    const more = await connectUsers(generators, target, dataset, range(connected, clients), target.urls);
    connected = clients;
    const channels = mixChannelsWithin(dataset, clients);
    if (channels.length === 0) throw new Error(`connections step ${clients}: no mixed channel lies within the first ${clients} users (steps must be multiples of mixUsers)`);
    const random = seededRandom(clients);
    const schedule = Array.from({ length: Math.round((rate * durationMs) / 1000) }, () => channels[Math.floor(random() * channels.length)].index);
    log(`[connections] ${target.label}: ${clients} clients (${more.failed} failed to connect), ${rate} posts/s`);
    const phase = await runPhase({ ...ctx, label: `${target.label} ${clients} clients`, rate, schedule, drainMs: size.drainMs });
    const ok = held(phase) && more.failed === 0;
    const slowConnect = more.ms > connectBudgetMs;
    const rssMiB = round3(target.nodes.reduce((sum, node) => sum + (rssBytes(node.pid) ?? 0), 0) / MIB);
    results.push({ clients, connectFailed: more.failed, connectMs: more.ms, otherEvents: more.otherEvents, held: ok, rssMiB, ...phase });
    log(`[connections] ${target.label}: ${clients} clients: p99 ${phase.latencyMs.p99} ms, lost ${phase.lost}, ${ok ? 'held' : 'not held'}; connecting took ${more.ms} ms`);
    await settle(ctx.size);
    if (!ok || slowConnect) {
      if (ok) best = clients;
      return { rate, steps: results, maxClients: best, limitedBy: ok ? `connecting the step took ${more.ms} ms, over the ${connectBudgetMs} ms budget` : 'the step did not hold (p99, loss, errors or achieved rate)' };
    }
    best = clients;
  }
  return { rate, steps: results, maxClients: best, limitedBy: 'last step of the bounded search held' };
}

/** Both measurements for `ctx.target`; leaves no client connected. */
export async function runConnections(ctx) {
  const idle = await idleMemory(ctx, ctx.size.connections.idle);
  const search = await maxClients(ctx, idle.clients);
  await disconnectAll(ctx.generators);
  return { idle, search };
}
