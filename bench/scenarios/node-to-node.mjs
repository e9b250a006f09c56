// Scenario 2, node to node: envelope published on node A -> handled on nodes B and C, from the
// nodes' own latency summaries, while posts flow into a small channel.
import { CHANNEL } from '../lib/dataset.mjs';
import { runPhase } from '../lib/harness.mjs';
import { pollNodeLatency } from '../lib/node-latency.mjs';

/** Posts into the quiet channel on node A and reads B's and C's view of A's envelopes. */
export async function runNodeToNode(ctx) {
  const { size, log, target, redis } = ctx;
  const { rate, durationMs } = size.nodeToNode;
  const schedule = Array.from({ length: Math.round((rate * durationMs) / 1000) }, () => CHANNEL.quiet);
  log(`[node-to-node] ${schedule.length} posts at ${rate}/s on node A; latency from B's and C's own histograms`);
  const poller = pollNodeLatency(redis, target.cluster, target.nodeIdOf(0), [target.nodeIdOf(1), target.nodeIdOf(2)]);
  const phase = await runPhase({ ...ctx, label: 'node-to-node', rate, schedule, drainMs: size.drainMs });
  const latencyMs = await poller.stop();
  log(`[node-to-node] p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms over ${latencyMs.windows} windows (${latencyMs.count} envelopes)`);
  return { rate, posts: schedule.length, latencyMs, endToEnd: phase };
}
