import type { LatencyFigures, ProbeClientFigures } from '@switchboard/shared';

/**
 * The drill checker: pure functions over what the probe clients recorded, reporting in Jepsen's
 * terms. An acknowledged post (the API answered 201) that some other probe never received is
 * **lost**; a post one client received twice, or one nobody ever sent, is **unexpected**; a post
 * a client got only by backfill (`since`, after a new connection) is **recovered**; a post a
 * client received after a later post of the same sender is **reordered**. It also measures the
 * longest gap each client saw, delivery latency against the baseline, and reconnect/resume times.
 */

/** One post attempt. */
export interface ProbeSend {
  client: string;
  /** The sender's running number, from 1. */
  n: number;
  /** When the request was sent, epoch ms. */
  sentAt: number;
  /** When the API acknowledged it (201), or null. */
  ackAt: number | null;
  error: string | null;
}

/** One probe post seen by a client. */
export interface ProbeReceipt {
  receiver: string;
  sender: string;
  n: number;
  at: number;
  /** Live over the WebSocket, or fetched by backfill. */
  via: 'ws' | 'backfill';
}

/** One reconnection of a client. */
export interface ProbeReconnect {
  /** When the socket went away. */
  at: number;
  /** Until authenticated again, ms (null: never). */
  reconnectMs: number | null;
  /** Until resumed (or backfilled after a new connection), ms (null: never). */
  resumeMs: number | null;
  /** Resumed with its connection_id (true), or got a new connection (false). */
  resumed: boolean | null;
}

/** What one client recorded besides its posts and receipts. */
export interface ProbeClientLog {
  client: string;
  node: string;
  startedAt: number;
  reconnects: ProbeReconnect[];
  sequenceGaps: number;
  socketErrors: number;
}

/** Everything the probes recorded in one run. */
export interface ProbeLog {
  clients: ProbeClientLog[];
  sends: ProbeSend[];
  receipts: ProbeReceipt[];
  /** Posts sent before this are the latency baseline. */
  baselineEndAt: number;
  /** When the clients stopped posting. */
  postingEndedAt: number;
  deliveryTimeoutMs: number;
}

/** A gap a client saw between two live deliveries. */
export interface ProbeGap {
  client: string;
  from: number;
  to: number;
}

/** The checker's answer. */
export interface CheckerResult {
  lost: number;
  unexpected: number;
  recovered: number;
  reordered: number;
  attempted: number;
  acknowledged: number;
  postErrors: number;
  deliveredInTime: number;
  duplicated: number;
  neverSent: number;
  missingDeliveries: number;
  probeSuccessPercent: number;
  longestGapMs: number;
  longestResumeMs: number;
  baseline: LatencyFigures;
  drill: LatencyFigures;
  clients: ProbeClientFigures[];
  /** When each lost post was sent (for the step it failed in). */
  lostAt: number[];
  /** When each reordered delivery happened. */
  reorderedAt: number[];
  /** When each unexpected delivery happened. */
  unexpectedAt: number[];
  /** The longest gap of each client. */
  gaps: ProbeGap[];
  /** Each reconnection with its resume time. */
  resumes: Array<{ client: string; at: number; ms: number }>;
  /** The delivery with the highest latency after the baseline. */
  worstLatencyAt: number | null;
}

const key = (sender: string, n: number) => `${sender}#${n}`;

/**
 * Nearest-rank percentiles of `values` (ms).
 * @example latencyFigures([1, 2, 3]).p50 // 2
 */
export function latencyFigures(values: readonly number[]): LatencyFigures {
  if (values.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The longest interval between consecutive times (sorted), within [from, to]. */
function longestGap(times: readonly number[], from: number, to: number): { from: number; to: number } {
  let best = { from, to: from };
  let previous = from;
  for (const at of [...times].sort((a, b) => a - b)) {
    if (at < from || at > to) continue;
    if (at - previous > best.to - best.from) best = { from: previous, to: at };
    previous = at;
  }
  if (to - previous > best.to - best.from) best = { from: previous, to };
  return best;
}

/**
 * Checks a run's probe log.
 * @example const result = checkProbeLog(log); result.lost // 0
 */
export function checkProbeLog(log: ProbeLog): CheckerResult {
  const sendByKey = new Map(log.sends.map((send) => [key(send.client, send.n), send]));
  const clientIds = log.clients.map((client) => client.client);
  // receiver -> post key -> receipts
  const byReceiver = new Map<string, Map<string, ProbeReceipt[]>>(clientIds.map((id) => [id, new Map()]));
  let neverSent = 0;
  const unexpectedAt: number[] = [];
  for (const receipt of log.receipts) {
    const postKey = key(receipt.sender, receipt.n);
    if (!sendByKey.has(postKey)) {
      neverSent += 1;
      unexpectedAt.push(receipt.at);
      continue;
    }
    const posts = byReceiver.get(receipt.receiver) ?? new Map<string, ProbeReceipt[]>();
    byReceiver.set(receipt.receiver, posts);
    posts.set(postKey, [...(posts.get(postKey) ?? []), receipt]);
  }

  const perClient = new Map(clientIds.map((id) => [id, { lost: 0, duplicated: 0, recovered: 0, reordered: 0, received: 0 }]));
  let duplicated = 0;
  for (const [receiver, posts] of byReceiver) {
    const figures = perClient.get(receiver);
    for (const receipts of posts.values()) {
      const live = receipts.filter((receipt) => receipt.via === 'ws');
      if (figures) figures.received += 1;
      if (live.length > 1) {
        duplicated += live.length - 1;
        if (figures) figures.duplicated += live.length - 1;
        for (const extra of live.slice(1)) unexpectedAt.push(extra.at);
      }
    }
  }

  const acknowledged = log.sends.filter((send) => send.ackAt !== null);
  let lost = 0;
  let missingDeliveries = 0;
  let deliveredInTime = 0;
  let recovered = 0;
  const lostAt: number[] = [];
  const allLatencies: Array<{ at: number; ms: number; baseline: boolean }> = [];
  for (const send of acknowledged) {
    const postKey = key(send.client, send.n);
    let missing = 0;
    let inTime = true;
    let backfilledSomewhere = false;
    for (const receiver of clientIds) {
      if (receiver === send.client) continue;
      const receipts = byReceiver.get(receiver)?.get(postKey) ?? [];
      if (receipts.length === 0) {
        missing += 1;
        perClient.get(receiver)!.lost += 1;
        inTime = false;
        continue;
      }
      const first = receipts.reduce((a, b) => (b.at < a.at ? b : a));
      if (first.via === 'backfill') {
        backfilledSomewhere = true;
        perClient.get(receiver)!.recovered += 1;
      }
      if (first.at - send.sentAt > log.deliveryTimeoutMs) inTime = false;
    }
    if (missing > 0) {
      lost += 1;
      lostAt.push(send.sentAt);
    }
    missingDeliveries += missing;
    if (inTime) deliveredInTime += 1;
    if (backfilledSomewhere) recovered += 1;
  }
  for (const receipt of log.receipts) {
    const send = sendByKey.get(key(receipt.sender, receipt.n));
    if (!send || receipt.via !== 'ws' || receipt.receiver === receipt.sender) continue;
    allLatencies.push({ at: receipt.at, ms: Math.max(0, receipt.at - send.sentAt), baseline: send.sentAt < log.baselineEndAt });
  }

  // Reordering: per (receiver, sender), live deliveries in arrival order must have rising numbers.
  let reordered = 0;
  const reorderedAt: number[] = [];
  for (const receiver of clientIds) {
    const highest = new Map<string, number>();
    const live = log.receipts.filter((receipt) => receipt.receiver === receiver && receipt.via === 'ws' && sendByKey.has(key(receipt.sender, receipt.n))).sort((a, b) => a.at - b.at);
    for (const receipt of live) {
      const top = highest.get(receipt.sender) ?? 0;
      if (receipt.n < top) {
        reordered += 1;
        reorderedAt.push(receipt.at);
        perClient.get(receiver)!.reordered += 1;
      } else highest.set(receipt.sender, receipt.n);
    }
  }

  const gaps: ProbeGap[] = [];
  const resumes: CheckerResult['resumes'] = [];
  const clients: ProbeClientFigures[] = log.clients.map((client) => {
    const mine = log.sends.filter((send) => send.client === client.client);
    const times = log.receipts.filter((receipt) => receipt.receiver === client.client && receipt.via === 'ws').map((receipt) => receipt.at);
    const gap = longestGap(times, client.startedAt, log.postingEndedAt);
    gaps.push({ client: client.client, ...gap });
    const figures = perClient.get(client.client)!;
    for (const reconnect of client.reconnects) if (reconnect.resumeMs !== null) resumes.push({ client: client.client, at: reconnect.at, ms: reconnect.resumeMs });
    return {
      client: client.client,
      node: client.node,
      attempted: mine.length,
      acknowledged: mine.filter((send) => send.ackAt !== null).length,
      postErrors: mine.filter((send) => send.ackAt === null).length,
      postErrorSamples: [...new Set(mine.flatMap((send) => (send.ackAt === null && send.error !== null ? [send.error.slice(0, 200)] : [])))].slice(0, 5),
      received: figures.received,
      lost: figures.lost,
      duplicated: figures.duplicated,
      recovered: figures.recovered,
      reordered: figures.reordered,
      longestGapMs: round(gap.to - gap.from),
      disconnects: client.reconnects.length,
      resumed: client.reconnects.filter((reconnect) => reconnect.resumed === true).length,
      newConnections: client.reconnects.filter((reconnect) => reconnect.resumed === false).length,
      reconnectMs: client.reconnects.flatMap((reconnect) => (reconnect.reconnectMs === null ? [] : [round(reconnect.reconnectMs)])),
      resumeMs: client.reconnects.flatMap((reconnect) => (reconnect.resumeMs === null ? [] : [round(reconnect.resumeMs)])),
      sequenceGaps: client.sequenceGaps,
      socketErrors: client.socketErrors,
    };
  });

  // A reconnection that never resumed counts as lasting until posting ended.
  for (const client of log.clients) {
    for (const reconnect of client.reconnects) if (reconnect.resumeMs === null) resumes.push({ client: client.client, at: reconnect.at, ms: Math.max(0, log.postingEndedAt - reconnect.at) });
  }
  const drillLatencies = allLatencies.filter((entry) => !entry.baseline);
  const worst = drillLatencies.reduce<(typeof drillLatencies)[number] | undefined>((a, b) => (a === undefined || b.ms > a.ms ? b : a), undefined);
  const attempted = log.sends.length;
  return {
    lost,
    unexpected: duplicated + neverSent,
    recovered,
    reordered,
    attempted,
    acknowledged: acknowledged.length,
    postErrors: attempted - acknowledged.length,
    deliveredInTime,
    duplicated,
    neverSent,
    missingDeliveries,
    probeSuccessPercent: attempted === 0 ? 100 : round((deliveredInTime / attempted) * 100),
    longestGapMs: gaps.reduce((max, gap) => Math.max(max, round(gap.to - gap.from)), 0),
    longestResumeMs: resumes.reduce((max, resume) => Math.max(max, round(resume.ms)), 0),
    baseline: latencyFigures(allLatencies.filter((entry) => entry.baseline).map((entry) => entry.ms)),
    drill: latencyFigures(drillLatencies.map((entry) => entry.ms)),
    clients,
    lostAt,
    reorderedAt,
    unexpectedAt: unexpectedAt.sort((a, b) => a - b),
    gaps,
    resumes,
    worstLatencyAt: worst?.at ?? null,
  };
}
