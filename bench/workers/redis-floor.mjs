#!/usr/bin/env node
// The floor: raw Redis PUBLISH from one process to a SUBSCRIBE in another, with the same client
// library the nodes use (ioredis) and a payload the size of a bus envelope. The publisher
// stamps each message with the monotonic clock; the subscriber subtracts on receipt.
import { Redis } from 'ioredis';
import { encodeHistogram, newHistogram, nowUs, recordUs } from '../lib/stats.mjs';
import { serve } from '../lib/rpc.mjs';

const REDIS_URL = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let subscriber;
let histogram = newHistogram();
let received = 0;

async function subscribe({ channel }) {
  subscriber = new Redis(REDIS_URL);
  subscriber.on('message', (_channel, message) => {
    const now = nowUs();
    recordUs(histogram, now - Number(message.slice(0, message.indexOf(' '))));
    received += 1;
  });
  await subscriber.subscribe(channel);
  histogram = newHistogram();
  received = 0;
  return { ok: true };
}

async function collect({ count, waitMs }) {
  const deadline = Date.now() + waitMs;
  while (received < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  subscriber.disconnect();
  return { received, histogram: encodeHistogram(histogram), cpuMs: process.cpuUsage().user / 1000 };
}

async function publish({ channel, rate, count, payloadBytes }) {
  const publisher = new Redis(REDIS_URL);
  const filler = 'x'.repeat(payloadBytes);
  const cpu = process.cpuUsage();
  const intervalMs = 1000 / rate;
  const started = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = started + sent * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await publisher.publish(channel, `${nowUs()} ${filler}`);
    sent += 1;
  }
  publisher.disconnect();
  const used = process.cpuUsage(cpu);
  return { sent, cpuMs: (used.user + used.system) / 1000 };
}

serve({ subscribe, collect, publish });
