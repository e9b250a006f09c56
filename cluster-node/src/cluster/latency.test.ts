import { clusterKeys, latencySummarySchema } from '@switchboard/shared';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_MAX_US, LatencyRecorder } from './latency.js';

function recorder() {
  const registry = new Registry();
  const unused = { set: async () => 'OK', del: async () => 1 };
  const latency = new LatencyRecorder({
    redis: unused as never,
    keys: clusterKeys('unit'),
    nodeId: 'n2',
    registry,
    log: pino({ level: 'silent' }),
    windowMs: 250,
    clock: () => 1_700_000_000_000,
  });
  return { latency, registry };
}

async function sample(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name) as { values: Array<{ value: number; labels: Record<string, string> }> };
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('LatencyRecorder windows', () => {
  it('summarises each origin in milliseconds with sub-millisecond precision', () => {
    const { latency } = recorder();
    for (let i = 1; i <= 100; i += 1) latency.record('n1', 1000, 1000 + i / 10); // 0.1 .. 10 ms
    latency.record('n3', 5000, 5002);
    const summary = latency.takeWindow();
    expect(latencySummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({ nodeId: 'n2', ts: 1_700_000_000_000, windowMs: 250 });
    const n1 = summary.origins.n1!;
    expect(n1.count).toBe(100);
    expect(n1.p50).toBeCloseTo(5, 1);
    expect(n1.p90).toBeCloseTo(9, 1);
    expect(n1.p99).toBeCloseTo(9.9, 1);
    expect(n1.max).toBeCloseTo(10, 1);
    expect(n1.clockSkew).toBe(0);
    expect(summary.origins.n3).toEqual({ count: 1, p50: 2, p90: 2, p99: 2, max: 2, clockSkew: 0 });
  });

  it('records a negative latency as 0 and counts it as clock skew; clamps absurd values', async () => {
    const { latency, registry } = recorder();
    latency.record('n1', 2000, 1990);
    latency.record('n1', 0, 1e12);
    latency.record('n1', Number.NaN, 5);
    const n1 = latency.takeWindow().origins.n1!;
    expect(n1.count).toBe(2);
    expect(n1.p50).toBe(0);
    expect(n1.clockSkew).toBe(1);
    expect(n1.max).toBeGreaterThanOrEqual(LATENCY_MAX_US / 1000 - LATENCY_MAX_US / 1e6);
    expect(await sample(registry, 'switchboard_bus_latency_clock_skew_total', { origin: 'n1' })).toBe(1);
    expect(await sample(registry, 'switchboard_bus_latency_samples_total', { origin: 'n1' })).toBe(2);
  });

  it('resets the window after each summary but keeps the cumulative figures', () => {
    const { latency } = recorder();
    latency.record('n1', 0, 10);
    latency.record('n1', 0, -5);
    expect(latency.takeWindow().origins.n1).toMatchObject({ count: 2, clockSkew: 1 });
    latency.record('n1', 0, 30);
    expect(latency.takeWindow().origins.n1).toMatchObject({ count: 1, p50: 30, max: 30, clockSkew: 0 });
    expect(latency.takeWindow().origins).toEqual({});
    expect(latency.cumulative().n1).toMatchObject({ count: 3, max: 30, clockSkew: 1 });
  });

  it('sets the quantile gauges in seconds and drops them when an origin goes quiet', async () => {
    const { latency, registry } = recorder();
    for (let i = 1; i <= 100; i += 1) latency.record('n1', 0, i);
    latency.takeWindow();
    expect(await sample(registry, 'switchboard_bus_latency_seconds', { origin: 'n1', quantile: '0.5' })).toBeCloseTo(0.05, 3);
    expect(await sample(registry, 'switchboard_bus_latency_seconds', { origin: 'n1', quantile: '0.99' })).toBeCloseTo(0.099, 3);
    expect(await sample(registry, 'switchboard_bus_latency_seconds', { origin: 'n1', quantile: '1' })).toBeCloseTo(0.1, 3);
    latency.takeWindow();
    expect(await sample(registry, 'switchboard_bus_latency_seconds', { origin: 'n1', quantile: '0.5' })).toBeUndefined();
  });
});
