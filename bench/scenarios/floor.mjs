// Scenario 1, the floor: raw Redis PUBLISH from one process to a subscriber in another.
import { newId } from '@switchboard/shared';
import { startWorker } from '../lib/rpc.mjs';
import { mergeEncoded, round3, summarize } from '../lib/stats.mjs';

/** Publishes `rate` messages/s for `durationMs` and times each from PUBLISH to the subscriber. */
export async function runFloor({ size, log }) {
  const { rate, durationMs, payloadBytes } = size.floor;
  const count = Math.round((rate * durationMs) / 1000);
  const channel = `sbbench-floor-${newId()}`;
  const url = new URL('../workers/redis-floor.mjs', import.meta.url);
  const subscriber = startWorker(url, { name: 'floor-subscriber' });
  const publisher = startWorker(url, { name: 'floor-publisher' });
  try {
    log(`[floor] PUBLISH -> SUBSCRIBE across processes: ${count} messages of ${payloadBytes} B at ${rate}/s`);
    await subscriber.call('subscribe', { channel });
    const published = await publisher.call('publish', { channel, rate, count, payloadBytes }, durationMs + 60_000);
    const collected = await subscriber.call('collect', { count, waitMs: 5_000 }, 30_000);
    const latencyMs = summarize(mergeEncoded([collected.histogram]));
    log(`[floor] p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, max ${latencyMs.max} ms`);
    return { rate, messages: count, payloadBytes, received: collected.received, lost: count - collected.received, latencyMs, generatorCpuMs: { publisher: round3(published.cpuMs), subscriber: round3(collected.cpuMs) } };
  } finally {
    await Promise.all([subscriber.stop(), publisher.stop()]);
  }
}
