import { describe, expect, it } from 'vitest';
import { checkProbeLog, latencyFigures, type ProbeLog, type ProbeReceipt, type ProbeSend } from './checker.js';

const clients = ['p1', 'p2', 'p3'].map((client) => ({ client, node: `n${client.slice(1)}`, startedAt: 0, reconnects: [], sequenceGaps: 0, socketErrors: 0 }));

function send(client: string, n: number, sentAt: number, acked = true): ProbeSend {
  return { client, n, sentAt, ackAt: acked ? sentAt + 5 : null, error: acked ? null : 'HTTP 503' };
}

/** Every other client receives every acked post `delay` ms after it was sent, live. */
function everywhere(sends: ProbeSend[], delay = 10): ProbeReceipt[] {
  return sends.flatMap((s) => clients.filter((c) => c.client !== s.client).map((c) => ({ receiver: c.client, sender: s.client, n: s.n, at: s.sentAt + delay, via: 'ws' as const })));
}

function log(sends: ProbeSend[], receipts: ProbeReceipt[], extra: Partial<ProbeLog> = {}): ProbeLog {
  return { clients, sends, receipts, baselineEndAt: 1_000, postingEndedAt: 3_000, deliveryTimeoutMs: 1_000, ...extra };
}

const sends = [send('p1', 1, 100), send('p2', 1, 200), send('p3', 1, 300), send('p1', 2, 1_500), send('p2', 2, 1_600), send('p3', 2, 1_700)];

describe('checkProbeLog', () => {
  it('reports nothing wrong when every post reached every other client once, in order', () => {
    const result = checkProbeLog(log(sends, everywhere(sends)));
    expect(result).toMatchObject({ lost: 0, unexpected: 0, recovered: 0, reordered: 0, acknowledged: 6, deliveredInTime: 6, probeSuccessPercent: 100 });
    expect(result.baseline.count).toBe(6);
    expect(result.drill.count).toBe(6);
  });

  it('counts an acknowledged post some client never received as lost, once per post', () => {
    const receipts = everywhere(sends).filter((r) => !(r.sender === 'p1' && r.n === 2));
    const result = checkProbeLog(log(sends, receipts));
    expect(result.lost).toBe(1);
    expect(result.missingDeliveries).toBe(2);
    expect(result.lostAt).toEqual([1_500]);
    expect(result.clients.find((c) => c.client === 'p2')!.lost).toBe(1);
    expect(result.probeSuccessPercent).toBe(83.3);
  });

  it('does not count an unacknowledged post as lost', () => {
    const failed = [...sends, send('p1', 3, 2_000, false)];
    const result = checkProbeLog(log(failed, everywhere(sends)));
    expect(result.lost).toBe(0);
    expect(result.postErrors).toBe(1);
    expect(result.clients[0]!.postErrorSamples).toEqual(['HTTP 503']);
  });

  it('counts a post received twice, and one never sent, as unexpected', () => {
    const receipts = [...everywhere(sends), { receiver: 'p2', sender: 'p1', n: 1, at: 400, via: 'ws' as const }, { receiver: 'p3', sender: 'p9', n: 1, at: 500, via: 'ws' as const }];
    const result = checkProbeLog(log(sends, receipts));
    expect(result).toMatchObject({ unexpected: 2, duplicated: 1, neverSent: 1, lost: 0 });
  });

  it('counts a post that arrived only by backfill as recovered, not lost', () => {
    const receipts = everywhere(sends).map((r) => (r.receiver === 'p3' && r.sender === 'p1' && r.n === 2 ? { ...r, via: 'backfill' as const, at: 2_000 } : r));
    const result = checkProbeLog(log(sends, receipts));
    expect(result).toMatchObject({ recovered: 1, lost: 0 });
    expect(result.clients.find((c) => c.client === 'p3')!.recovered).toBe(1);
  });

  it('counts a live delivery after a later post of the same sender as reordered', () => {
    const more = [...sends, send('p1', 3, 1_550)];
    const receipts = everywhere(more).map((r) => (r.receiver === 'p2' && r.sender === 'p1' && r.n === 2 ? { ...r, at: 1_600 } : r));
    const result = checkProbeLog(log(more, receipts));
    expect(result.reordered).toBe(1);
    expect(result.clients.find((c) => c.client === 'p2')!.reordered).toBe(1);
  });

  it('measures the longest gap each client saw, up to the end of posting', () => {
    const receipts = everywhere(sends);
    const result = checkProbeLog(log(sends, receipts));
    // p1 receives at 210, 310, 1610, 1710; posting ended at 3000.
    expect(result.clients.find((c) => c.client === 'p1')!.longestGapMs).toBe(1_300);
    expect(result.longestGapMs).toBe(1_390);
  });

  it('reports reconnect and resume times, and a reconnection that never resumed as lasting to the end', () => {
    const withReconnects = clients.map((c, i) => (i === 0 ? { ...c, reconnects: [{ at: 1_000, reconnectMs: 120, resumeMs: 150, resumed: true }, { at: 2_000, reconnectMs: null, resumeMs: null, resumed: null }] } : c));
    const result = checkProbeLog({ ...log(sends, everywhere(sends)), clients: withReconnects });
    expect(result.clients[0]).toMatchObject({ disconnects: 2, resumed: 1, newConnections: 0, reconnectMs: [120], resumeMs: [150] });
    expect(result.longestResumeMs).toBe(1_000);
  });

  it('counts a delivery later than the delivery timeout as not in time', () => {
    const receipts = everywhere(sends).map((r) => (r.sender === 'p3' && r.n === 2 ? { ...r, at: 5_000 } : r));
    const result = checkProbeLog(log(sends, receipts));
    expect(result.lost).toBe(0);
    expect(result.deliveredInTime).toBe(5);
  });
});

describe('latencyFigures', () => {
  it('gives nearest-rank percentiles', () => {
    expect(latencyFigures([])).toEqual({ count: 0, p50: null, p90: null, p99: null, max: null });
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyFigures(values)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });
});
