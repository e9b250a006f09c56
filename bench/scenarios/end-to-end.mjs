// Scenarios 3 and 4, end to end: posts through REST on node A, timed until the WebSocket clients
// on nodes B and C receive them. The same loads run against Switchboard (scenario 3) and against
// Socket.IO with the Redis adapter (scenario 4, the baseline), with the same clients and payloads,
// one system at a time but interleaved phase by phase.
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

/**
 * Load (c) for every side at once: each rate step runs on each side still holding; a side stops
 * at its first step that does not hold (the step list bounds the search).
 */
async function capacity(sides) {
  const { rates, durationMs } = sides[0].size.capacity;
  const state = sides.map(() => ({ steps: [], best: undefined, done: false }));
  for (const rate of rates) {
    if (state.every((st) => st.done)) break;
    for (const [i, ctx] of sides.entries()) {
      if (state[i].done) continue;
      const phase = await load(ctx, `capacity step ${rate} posts/s`, rate, constant(CHANNEL.big, rate, durationMs));
      const ok = held(phase);
      state[i].steps.push({ ...phase, held: ok });
      if (ok) state[i].best = phase;
      else state[i].done = true;
    }
  }
  return state.map(({ steps, best }) => ({
    steps,
    postsPerSec: best?.achievedPostsPerSec ?? 0,
    deliveriesPerSec: best?.deliveriesPerSec ?? 0,
    limitedBy: steps.at(-1)?.held ? 'last step of the bounded search held' : 'p99, loss, errors or achieved rate at the next step',
  }));
}

/**
 * Loads (a), (b) and (c) against every side (`ctx` per system, its clients already on nodes B
 * and C), interleaved load by load so both systems meet the same machine: on a shared 2-core
 * host the background load moves within minutes, and back-to-back phases keep the ratios fair.
 * The order alternates from one load to the next. Returns one result per side.
 */
export async function runEndToEnd(sides) {
  const { size } = sides[0];
  const out = sides.map(() => ({ members: { big: size.bigMembers, mixUsers: size.mixUsers, mixChannels: size.mixChannels }, a: [] }));
  let turn = 0;
  const each = async (run) => {
    const order = sides.map((_, i) => i);
    if (turn++ % 2 === 1) order.reverse();
    for (const i of order) await run(sides[i], out[i]);
  };
  for (const rate of size.loadA.rates) await each(async (ctx, o) => o.a.push(await load(ctx, `load (a) ${rate} posts/s`, rate, constant(CHANNEL.big, rate, size.loadA.durationMs))));
  const mix = mixSchedule(sides[0], size.loadB.rate, size.loadB.durationMs);
  await each(async (ctx, o) => (o.b = await load(ctx, `load (b) ${size.loadB.rate} posts/s`, size.loadB.rate, mix)));
  const c = await capacity(sides);
  return out.map((o, i) => ({ ...o, c: c[i] }));
}
