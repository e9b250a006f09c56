#!/usr/bin/env node
// Load generator: holds many WebSocket clients (see client.mjs) and times every bench post they
// receive against the timestamp in its message. Per phase it keeps one bit per client and post,
// so after the phase it can say exactly which acknowledged posts some member never got (lost)
// and which arrived twice. Driven over IPC by the runner (lib/rpc.mjs).
import { encodeHistogram, newHistogram, nowUs, recordUs } from '../lib/stats.mjs';
import { serve } from '../lib/rpc.mjs';
import { BenchClient } from './client.mjs';

const clients = [];
/**
 * `<protocol>:<channel index>` -> indexes (into `clients`) of its members' clients: the clients
 * of both systems can be held at once, and a phase counts only those of the system it loads.
 */
const byChannel = new Map();
const channelKey = (protocol, channel) => `${protocol}:${channel}`;
let phase = undefined;

function onPost(client, [phaseId, seq, channel, sentAtUs]) {
  const now = nowUs();
  if (!phase || phaseId !== phase.id || seq >= phase.maxSeq || client.protocol !== phase.protocol) {
    if (phase) phase.stray += 1;
    return;
  }
  recordUs(phase.histogram, now - sentAtUs);
  const bits = phase.bits[client.slot];
  if (bits[seq]) phase.duplicates += 1;
  else {
    bits[seq] = 1;
    phase.received += 1;
  }
  if (!client.spec.channels.includes(channel)) phase.unexpected += 1;
}

/** Opens `list` with `concurrency` handshakes in flight; returns the clients that failed. */
async function openAll(list, concurrency) {
  const failed = [];
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const client = list[next++];
      if (!(await client.open())) {
        client.ws?.terminate();
        failed.push(client);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane));
  return failed;
}

async function connect({ protocol, specs, concurrency = 50, reconnect = false }) {
  const started = Date.now();
  const fresh = specs.map((spec) => {
    const client = new BenchClient(spec, protocol, onPost, reconnect);
    client.slot = clients.length;
    clients.push(client);
    for (const channel of spec.channels) {
      const key = channelKey(protocol, channel);
      if (!byChannel.has(key)) byChannel.set(key, []);
      byChannel.get(key).push(client.slot);
    }
    return client;
  });
  const failed = await openAll(fresh, concurrency);
  // A handshake lost to a momentary overload gets one more try once the others are in.
  const retried = failed.length > 0 ? await openAll(failed, Math.min(concurrency, 10)) : [];
  // Clients that never got in expect nothing: they leave the channel index (and never count as loss).
  for (const client of retried) {
    client.stopping = true;
    for (const channel of client.spec.channels) {
      const key = channelKey(protocol, channel);
      byChannel.set(key, byChannel.get(key).filter((slot) => slot !== client.slot));
    }
  }
  const otherEvents = clients.filter((c) => c.protocol === protocol).reduce((sum, c) => sum + c.otherEvents, 0);
  return { connected: fresh.length - retried.length, failed: retried.length, retriedOk: failed.length - retried.length, ms: Date.now() - started, total: clients.length, otherEvents };
}

async function disconnectAll() {
  await Promise.all(clients.map((client) => client.close()));
  clients.length = 0;
  byChannel.clear();
  phase = undefined;
  return { ok: true };
}

function startPhase({ id, maxSeq, protocol }) {
  phase = {
    id,
    maxSeq,
    protocol,
    histogram: newHistogram(),
    bits: clients.map(() => new Uint8Array(maxSeq)),
    received: 0,
    duplicates: 0,
    stray: 0,
    unexpected: 0,
    cpu: process.cpuUsage(),
    startedAt: Date.now(),
    startedAtUs: nowUs(),
  };
  return { ok: true, clients: clients.length, ready: clients.filter((c) => c.ready).length };
}

function expectedFor(acked) {
  let expected = 0;
  for (const [, channel] of acked) expected += byChannel.get(channelKey(phase.protocol, channel))?.length ?? 0;
  return expected;
}

function missingFor(acked) {
  let missing = 0;
  for (const [seq, channel] of acked) {
    for (const slot of byChannel.get(channelKey(phase.protocol, channel)) ?? []) if (!phase.bits[slot][seq]) missing += 1;
  }
  return missing;
}

async function finishPhase({ id, acked, waitMs }) {
  if (!phase || phase.id !== id) throw new Error(`phase ${id} is not running`);
  const expected = expectedFor(acked);
  const deadline = Date.now() + waitMs;
  while (phase.received < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const cpu = process.cpuUsage(phase.cpu);
  const outages = clients.filter((c) => c.protocol === phase.protocol).flatMap((client) => client.outages.filter((o) => o.closedAtUs >= phase.startedAtUs));
  const result = {
    reconnects: outages.length,
    resumesRefused: outages.filter((o) => o.fresh).length,
    histogram: encodeHistogram(phase.histogram),
    expected,
    received: phase.received,
    missing: missingFor(acked),
    duplicates: phase.duplicates,
    stray: phase.stray,
    unexpected: phase.unexpected,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: Date.now() - phase.startedAt,
  };
  phase = undefined;
  return result;
}

/** Per client of a failover run: the node it first landed on and its outages. */
function outages() {
  return clients.map((client) => ({ user: client.spec.userIndex, node: client.node, ready: client.ready, outages: client.outages }));
}

serve({ connect, disconnectAll, startPhase, finishPhase, outages, ping: () => ({ pid: process.pid }) });
