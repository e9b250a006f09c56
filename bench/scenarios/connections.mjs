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

/** Connects `count` idle clients round-robin over the three nodes and reads each node's RSS. */
async function idleMemory(ctx, count) {
  const { target, generators, dataset, log } = ctx;
  await disconnectAll(generators);
  await sleep(ctx.size.settleMs);
  const before = target.nodes.map((node) => rssBytes(node.pid));
  log(`[connections] ${target.label}: ${count} idle clients over 3 nodes (RSS before: ${before.map((b) => Math.round(b / MIB)).join(', ')} MiB)`);
  const connected = await connectUsers(generators, target, dataset, range(0, count), target.urls);
  await sleep(ctx.size.settleMs * 1.5);
  const after = target.nodes.map((node) => rssBytes(node.pid));
  const perNode = target.nodes.map((_, i) => Math.floor(count / 3) + (i < count % 3 ? 1 : 0));
  const perThousandMiB = after.map((bytes, i) => round3((bytes - before[i]) / MIB / (perNode[i] / 1000)));
  const totalMiB = round3(after.reduce((sum, bytes) => sum + bytes, 0) / MIB);
  log(`[connections] ${target.label}: ${connected.connected} connected in ${connected.ms} ms; +${perThousandMiB.join(', ')} MiB per 1,000 per node; ${totalMiB} MiB in all`);
  return { clients: count, connected: connected.connected, failed: connected.failed, connectMs: connected.ms, otherEvents: connected.otherEvents, rssBeforeMiB: before.map((b) => round3(b / MIB)), rssAfterMiB: after.map((b) => round3(b / MIB)), perThousandMiB, totalMiB };
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
