import { clusterKeys, newId, type LatencySummary } from '@switchboard/shared';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClock } from '../src/cluster/clock.js';
import { LATENCY_TTL_MS, LatencyRecorder, readLatency } from '../src/cluster/latency.js';

const REDIS_URL = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = pino({ level: 'silent' });
const cluster = `t${newId()}`;
const keys = clusterKeys(cluster);
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
  redis.disconnect();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `name{labels} value` from Prometheus text, as a number. */
function metricValue(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('RedisClock against real Redis', () => {
  it('estimates a small offset on one machine and now() tracks Date.now()', async () => {
    const clock = new RedisClock({ redis, log }, { samples: 5 });
    await clock.start();
    try {
      // Redis runs on this machine: both read the same system clock.
      expect(Math.abs(clock.offsetMs)).toBeLessThanOrEqual(5);
      expect(clock.rttMs).toBeGreaterThanOrEqual(0);
      expect(clock.rttMs).toBeLessThan(100);
      for (let i = 0; i < 3; i += 1) {
        expect(Math.abs(clock.now() - Date.now() - clock.offsetMs)).toBeLessThanOrEqual(1);
        expect(Number.isInteger(clock.now())).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clock.stop();
    }
  });

  it('keeps its last offset when Redis becomes unreachable', async () => {
    const own = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    own.on('error', () => {});
    await own.connect();
    const clock = new RedisClock({ redis: own, log });
    expect(await clock.sync()).toBe(true);
    const offset = clock.offsetMs;
    own.disconnect();
    expect(await clock.sync()).toBe(false);
    expect(clock.offsetMs).toBe(offset);
  });
});

describe('LatencyRecorder against real Redis', () => {
  it('publishes per-origin percentiles to Redis (with a TTL) and to the registry', async () => {
    const registry = new Registry();
    const recorder = new LatencyRecorder({ redis, keys, nodeId: 'n2', registry, log, windowMs: 1_000 });
    const t0 = Date.now();
    for (let ms = 1; ms <= 100; ms += 1) recorder.record('n1', t0, t0 + ms);
    for (let i = 0; i < 10; i += 1) recorder.record('n3', t0, t0 + 0.25);
    recorder.start();
    try {
      const mine = await waitFor('the first summary', async () => (await readLatency(redis, keys)).find((s) => s.nodeId === 'n2'));
      expect(mine.windowMs).toBe(1_000);
      expect(Math.abs(mine.ts - Date.now())).toBeLessThan(2_000);
      const n1 = mine.origins.n1!;
      expect(n1.count).toBe(100);
      expect(n1.p50).toBeGreaterThanOrEqual(50);
      expect(n1.p50).toBeLessThanOrEqual(50.1);
      expect(n1.p90).toBeGreaterThanOrEqual(90);
      expect(n1.p90).toBeLessThanOrEqual(90.1);
      expect(n1.p99).toBeGreaterThanOrEqual(99);
      expect(n1.p99).toBeLessThanOrEqual(99.1);
      expect(n1.max).toBe(100);
      expect(mine.origins.n3).toMatchObject({ count: 10, p50: 0.25, max: 0.25 });
      const ttl = await redis.pttl(keys.latency('n2'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(LATENCY_TTL_MS);

      const text = await registry.metrics();
      expect(metricValue(text, 'switchboard_bus_latency_seconds', 'origin="n1",quantile="0.5"')).toBeCloseTo(0.05, 3);
      expect(metricValue(text, 'switchboard_bus_latency_seconds', 'origin="n1",quantile="0.99"')).toBeCloseTo(0.099, 3);
      expect(metricValue(text, 'switchboard_bus_latency_seconds', 'origin="n1",quantile="1"')).toBeCloseTo(0.1, 6);
      expect(metricValue(text, 'switchboard_bus_latency_samples_total', 'origin="n1"')).toBe(100);
      expect(metricValue(text, 'switchboard_bus_latency_samples_total', 'origin="n3"')).toBe(10);
    } finally {
      await recorder.stop();
    }
    expect(await redis.exists(keys.latency('n2'))).toBe(0);
  });

  it('readLatency returns every node, sorted, and skips entries that fail the schema', async () => {
    const valid = (nodeId: string): LatencySummary => ({ nodeId, ts: Date.now(), windowMs: 1000, origins: { n1: { count: 1, p50: 1, p90: 1, p99: 1, max: 1, clockSkew: 0 } } });
    await redis.set(keys.latency('b-node'), JSON.stringify(valid('b-node')), 'PX', 10_000);
    await redis.set(keys.latency('a-node'), JSON.stringify(valid('a-node')), 'PX', 10_000);
    await redis.set(keys.latency('garbage'), 'not json', 'PX', 10_000);
    await redis.set(keys.latency('wrong-shape'), JSON.stringify({ nodeId: 'wrong-shape', ts: 'yesterday' }), 'PX', 10_000);
    await redis.set(keys.latency('impostor'), JSON.stringify(valid('someone-else')), 'PX', 10_000);
    const other = clusterKeys(`t${newId()}`);
    await redis.set(other.latency('x-node'), JSON.stringify(valid('x-node')), 'PX', 10_000);
    try {
      expect((await readLatency(redis, keys)).map((s) => s.nodeId)).toEqual(['a-node', 'b-node']);
    } finally {
      await redis.del(other.latency('x-node'));
    }
  });
});
