// What every load scenario shares: the load-generator processes (two receivers holding the
// WebSocket clients, one poster), connecting clients to nodes, and running one timed phase:
// offered posts -> deliveries timed, lost and duplicated counted, CPU of nodes and generators.
import { cpuMs, sleep, writeSyscalls } from './procs.mjs';
import { startWorker } from './rpc.mjs';
import { mergeEncoded, round3, summarize } from './stats.mjs';

const RECEIVERS = 2;

/** Starts the generator processes; `stop()` ends them. */
export function startGenerators() {
  const receivers = Array.from({ length: RECEIVERS }, (_, i) => startWorker(new URL('../workers/receivers.mjs', import.meta.url), { name: `receivers${i}` }));
  const poster = startWorker(new URL('../workers/poster.mjs', import.meta.url), { name: 'poster' });
  let phaseId = 0;
  return {
    receivers,
    poster,
    nextPhaseId: () => (phaseId += 1),
    pids: () => [...receivers.map((r) => r.pid), poster.pid],
    async stop() {
      await Promise.all([...receivers, poster].map((worker) => worker.stop()));
    },
  };
}

/** A client spec for user `user` of the dataset, connecting to `url`. */
export function clientSpec(dataset, userIndex, url) {
  const user = dataset.users[userIndex];
  return { userIndex, token: user.token, channels: user.channels, url };
}

/**
 * Connects the given users: user k goes to `urls[k % urls.length]` and to receiver process
 * `k % 2`, so with two node URLs each receiver feeds one node. Mattermost clients reconnect and
 * resume when the server closes them (as the official client does, e.g. after a slow-consumer
 * close); Socket.IO ones have nothing to resume and stay closed.
 */
export async function connectUsers(generators, target, dataset, userIndexes, urls, { reconnect = target.kind === 'switchboard' } = {}) {
  const perReceiver = generators.receivers.map(() => []);
  userIndexes.forEach((userIndex, k) => {
    perReceiver[k % perReceiver.length].push(clientSpec(dataset, userIndex, target.wsUrl(urls[k % urls.length])));
  });
  const protocol = target.kind === 'switchboard' ? 'mattermost' : 'engineio';
  const results = await Promise.all(generators.receivers.map((r, i) => r.call('connect', { protocol, specs: perReceiver[i], reconnect }, 900_000)));
  return {
    connected: results.reduce((sum, r) => sum + r.connected, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    ms: Math.max(...results.map((r) => r.ms)),
    /** Events other than posts all clients have received so far (status_change, mostly). */
    otherEvents: results.reduce((sum, r) => sum + r.otherEvents, 0),
  };
}

/** Closes every client of every receiver. */
export async function disconnectAll(generators) {
  await Promise.all(generators.receivers.map((r) => r.call('disconnectAll', {}, 60_000)));
}

/** What the poster needs to post in channel `index`: the channel and one member's session. */
export function posterChannel(dataset, index) {
  const channel = dataset.channels[index];
  const user = dataset.users[channel.members[0]];
  return { id: channel.id, name: channel.name, token: user.token, userId: user.id, username: user.username, teamId: dataset.teamId };
}

function cpuSnapshot(pids) {
  return pids.map((pid) => cpuMs(pid));
}

function cpuPercent(before, after, wallMs) {
  // A process gone by the end (a killed node) reads 0: no figure rather than a negative one.
  return after.map((ms, i) => (ms === 0 ? null : round3(((ms - before[i]) / wallMs) * 100)));
}

/** Prints a progress line every 2 s while `promise` runs. */
async function withProgress(log, label, durationMs, promise) {
  const started = Date.now();
  const timer = setInterval(() => log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(0)} s of ${(durationMs / 1000).toFixed(0)} s`), 2_000);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs one phase: posts `schedule` (channel indexes) at `rate` to `target.urls[postTo]`, then
 * waits up to `drainMs` for the deliveries. Returns latency (from each post's due time to its
 * receipt), achieved rates, errors, lost and duplicated deliveries, and CPU use.
 */
export async function runPhase({ generators, target, dataset, log, label, rate, schedule, postTo = 0, drainMs, retries = 0 }) {
  const id = generators.nextPhaseId();
  const channels = Object.fromEntries([...new Set(schedule)].map((index) => [index, posterChannel(dataset, index)]));
  const nodePids = target.nodes.map((node) => node.pid);
  const protocol = target.kind === 'switchboard' ? 'mattermost' : 'engineio';
  await Promise.all(generators.receivers.map((r) => r.call('startPhase', { id, maxSeq: schedule.length, protocol })));
  const before = { nodes: cpuSnapshot(nodePids), writes: nodePids.map(writeSyscalls), generators: cpuSnapshot(generators.pids()), at: Date.now() };
  const durationMs = (schedule.length / rate) * 1000;
  const job = { protocol, base: target.urls[postTo], phase: id, rate, schedule, channels, maxInFlight: 256, retries, requestTimeoutMs: 10_000, durationMs };
  const posted = await withProgress(log, label, durationMs, generators.poster.call('run', job, durationMs + 120_000));
  const received = await Promise.all(generators.receivers.map((r) => r.call('finishPhase', { id, acked: posted.acked, waitMs: drainMs }, drainMs + 30_000)));
  const wallMs = Date.now() - before.at;
  const after = { nodes: cpuSnapshot(nodePids), writes: nodePids.map(writeSyscalls), generators: cpuSnapshot(generators.pids()) };
  return phaseResult({ rate, posted, received, wallMs, before, after });
}

function phaseResult({ rate, posted, received, wallMs, before, after }) {
  const sum = (key) => received.reduce((total, r) => total + r[key], 0);
  const latency = summarize(mergeEncoded(received.map((r) => r.histogram)));
  const seconds = posted.wallMs / 1000;
  return {
    offeredPostsPerSec: rate,
    posts: posted.offered,
    acked: posted.acked.length,
    errors: posted.failed,
    errorStatuses: posted.errors,
    latePosts: posted.late,
    achievedPostsPerSec: round3(posted.acked.length / seconds),
    expectedDeliveries: sum('expected'),
    deliveries: sum('received'),
    deliveriesPerSec: round3(sum('received') / seconds),
    lost: sum('missing'),
    duplicates: sum('duplicates'),
    reconnects: sum('reconnects'),
    resumesRefused: sum('resumesRefused'),
    stray: sum('stray'),
    latencyMs: latency,
    postAckMs: summarize(mergeEncoded([posted.histogram])),
    cpuPercent: { nodes: cpuPercent(before.nodes, after.nodes, wallMs), generators: cpuPercent(before.generators, after.generators, wallMs) },
    // Server cost per delivery, robust to a busy machine: CPU µs and write syscalls of all nodes.
    nodeCpuUsPerDelivery: sum('received') > 0 ? round3((after.nodes.reduce((a, b) => a + b, 0) - before.nodes.reduce((a, b) => a + b, 0)) * 1000 / sum('received')) : null,
    nodeWritesPerDelivery: sum('received') > 0 ? round3((after.writes.reduce((a, b) => a + b, 0) - before.writes.reduce((a, b) => a + b, 0)) / sum('received')) : null,
    generatorCpuMs: { poster: round3(posted.cpuMs), receivers: received.map((r) => round3(r.cpuMs)) },
    wallMs,
  };
}

/** Waits for in-flight work to settle between phases (a quarter of the size's settle time). */
export async function settle(size) {
  await sleep(size.settleMs / 4);
}
