// Scenarios 3 and 4, end to end: posts through REST on node A, timed until the WebSocket clients
// on nodes B and C receive them. The same loads run against Switchboard (scenario 3) and against
// Socket.IO with the Redis adapter (scenario 4, the baseline), with the same clients and payloads.
import { CHANNEL, mixChannelsWithin } from '../lib/dataset.mjs';
import { runPhase, settle } from '../lib/harness.mjs';
import { pollNodeLatency } from '../lib/node-latency.mjs';
import { P99_LIMIT_MS } from '../lib/sizes.mjs';
import { seededRandom } from '../lib/stats.mjs';

/** Runs one load; on Switchboard the nodes' own A -> B/C latency is collected alongside. */
async function load(ctx, label, rate, schedule) {
  const { target, redis, log, size } = ctx;
  log(`[${ctx.scenario}] ${target.label} ${label}: ${schedule.length} posts at ${rate}/s`);
  const poller = target.kind === 'switchboard' ? pollNodeLatency(redis, target.cluster, target.nodeIdOf(0), [target.nodeIdOf(1), target.nodeIdOf(2)]) : undefined;
  const phase = await runPhase({ ...ctx, label: `${target.label} ${label}`, rate, schedule, drainMs: size.drainMs });
  if (poller) phase.nodeToNodeMs = await poller.stop();
  const { p50, p99 } = phase.latencyMs;
  log(`[${ctx.scenario}] ${target.label} ${label}: p50 ${p50} ms, p99 ${p99} ms, ${phase.deliveriesPerSec} deliveries/s, errors ${phase.errors}, lost ${phase.lost}`);
  await settle(ctx.size);
  return phase;
}

function constant(channel, rate, durationMs) {
  return Array.from({ length: Math.round((rate * durationMs) / 1000) }, () => channel);
}

/** Load (b): each post to a channel drawn uniformly from the mixed channels of the first block. */
function mixSchedule(ctx, rate, durationMs) {
  const channels = mixChannelsWithin(ctx.dataset, ctx.size.mixUsers);
  const random = seededRandom(7);
  return Array.from({ length: Math.round((rate * durationMs) / 1000) }, () => channels[Math.floor(random() * channels.length)].index);
}

/** Whether a phase held: p99 under the limit, nothing lost, no errors, 95 % of the offered rate. */
export function held(phase) {
  return phase.latencyMs.p99 !== null && phase.latencyMs.p99 < P99_LIMIT_MS && phase.lost === 0 && phase.errors === 0 && phase.achievedPostsPerSec >= 0.95 * phase.offeredPostsPerSec;
}

/** Load (c): steps the rate up in the big channel until a step does not hold (bounded by the step list). */
async function capacity(ctx) {
  const { rates, durationMs } = ctx.size.capacity;
  const steps = [];
  let best = undefined;
  for (const rate of rates) {
    const phase = await load(ctx, `capacity step ${rate} posts/s`, rate, constant(CHANNEL.big, rate, durationMs));
    const ok = held(phase);
    steps.push({ ...phase, held: ok });
    if (!ok) break;
    best = phase;
  }
  return {
    steps,
    postsPerSec: best?.achievedPostsPerSec ?? 0,
    deliveriesPerSec: best?.deliveriesPerSec ?? 0,
    limitedBy: steps.at(-1)?.held ? 'last step of the bounded search held' : 'p99, loss, errors or achieved rate at the next step',
  };
}

/** Loads (a), (b) and (c) against `ctx.target`, with its clients already connected to B and C. */
export async function runEndToEnd(ctx) {
  const { size } = ctx;
  const a = [];
  for (const rate of size.loadA.rates) a.push(await load(ctx, `load (a) ${rate} posts/s`, rate, constant(CHANNEL.big, rate, size.loadA.durationMs)));
  const b = await load(ctx, `load (b) ${size.loadB.rate} posts/s`, size.loadB.rate, mixSchedule(ctx, size.loadB.rate, size.loadB.durationMs));
  const c = await capacity(ctx);
  return { members: { big: size.bigMembers, mixUsers: size.mixUsers, mixChannels: size.mixChannels }, a, b, c };
}
