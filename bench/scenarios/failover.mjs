// Scenario 6, failover: SIGKILL of the leader node while posts flow and clients sit behind the
// balancer. Measures the time without a leader (the `leader` key held by nobody alive), the time
// until every client of the killed node has resumed on a survivor, and posts lost.
import { clusterKeys } from '@switchboard/shared';
import { startBalancer } from '../lib/balancer.mjs';
import { CHANNEL } from '../lib/dataset.mjs';
import { connectUsers, disconnectAll, runPhase } from '../lib/harness.mjs';
import { sleep } from '../lib/procs.mjs';
import { nowUs, round3 } from '../lib/stats.mjs';

async function leaderOf(redis, cluster) {
  const value = await redis.get(clusterKeys(cluster).leader).catch(() => null);
  return value ? JSON.parse(value).nodeId : undefined;
}

/** Polls every 5 ms until `check()` is truthy; returns when (µs), or undefined after `limitMs`. */
async function pollUntil(check, limitMs) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (await check()) return nowUs();
    await sleep(5);
  }
  return undefined;
}

/** Resume figures for the clients that were on the killed node. */
function resumeFigures(clients, killedNodeId, killedAtUs, noticedAtUs) {
  const moved = clients.filter((c) => c.node === killedNodeId);
  const outages = moved.map((c) => c.outages.find((o) => o.closedAtUs >= killedAtUs - 1_000_000));
  const resumed = outages.filter((o) => o && o.resumedAtUs !== undefined && !o.fresh);
  const lastUs = resumed.length > 0 ? Math.max(...resumed.map((o) => o.resumedAtUs)) : undefined;
  return {
    clientsOnKilledNode: moved.length,
    resumed: resumed.length,
    startedFresh: outages.filter((o) => o?.fresh).length,
    neverBack: moved.length - resumed.length,
    allResumedAfterKillMs: lastUs === undefined ? null : round3((lastUs - killedAtUs) / 1000),
    allResumedAfterNoticeMs: lastUs === undefined || noticedAtUs === undefined ? null : round3(Math.max(0, lastUs - noticedAtUs) / 1000),
  };
}

async function trial(ctx, balancer, number, last) {
  const { target, redis, dataset, generators, size, log } = ctx;
  const { rate, observeMs, leaderTtlMs } = size.failover;
  await disconnectAll(generators);
  const connected = await connectUsers(generators, target, dataset, dataset.channels[CHANNEL.failover].members, [balancer.url], { reconnect: true });
  const leaderId = await leaderOf(redis, target.cluster);
  const leader = target.nodes.findIndex((_, i) => target.nodeIdOf(i) === leaderId);
  if (leader < 0) throw new Error(`no live leader before trial ${number} (leader key: ${leaderId})`);
  log(`[failover] trial ${number}: ${connected.connected} clients through ${balancer.kind}; SIGKILL of leader ${leaderId} while posting ${rate}/s to a survivor`);
  const schedule = Array.from({ length: Math.round((rate * observeMs) / 1000) }, () => CHANNEL.failover);
  const phase = runPhase({ ...ctx, label: `failover trial ${number}`, rate, schedule, postTo: (leader + 1) % 3, drainMs: size.drainMs, retries: 3 });
  await sleep(observeMs / 4);
  // What the dead leader's lease had left: no survivor can take it sooner.
  const leaseLeftMs = await redis.pttl(clusterKeys(target.cluster).leader);
  const killedAtUs = nowUs();
  target.nodes[leader].child.kill('SIGKILL');
  const [newLeaderAtUs, noticedAtUs] = await Promise.all([
    pollUntil(async () => {
      const holder = await leaderOf(redis, target.cluster);
      return holder !== undefined && holder !== leaderId;
    }, leaderTtlMs * 4),
    pollUntil(() => balancer.isDown(leader), 10_000),
  ]);
  const posted = await phase;
  const outages = (await Promise.all(generators.receivers.map((r) => r.call('outages')))).flat();
  const resume = resumeFigures(outages, leaderId, killedAtUs, noticedAtUs);
  const result = {
    killed: leaderId,
    leaderTtlMs,
    noLeaderMs: newLeaderAtUs === undefined ? null : round3((newLeaderAtUs - killedAtUs) / 1000),
    leaseLeftAtKillMs: leaseLeftMs,
    takeoverAfterExpiryMs: newLeaderAtUs === undefined ? null : round3((newLeaderAtUs - killedAtUs) / 1000 - leaseLeftMs),
    balancerNoticedMs: noticedAtUs === undefined ? null : round3((noticedAtUs - killedAtUs) / 1000),
    ...resume,
    posts: posted.posts,
    acked: posted.acked,
    lost: posted.lost,
    duplicates: posted.duplicates,
    latencyMs: posted.latencyMs,
  };
  log(`[failover] trial ${number}: no leader for ${result.noLeaderMs} ms (${result.takeoverAfterExpiryMs} ms after the lease ran out); ${resume.resumed}/${resume.clientsOnKilledNode} resumed, the last ${resume.allResumedAfterKillMs} ms after the kill; lost ${posted.lost}`);
  await target.nodes[leader].exited;
  if (!last) {
    await target.restart(leader);
    await balancer.waitUp(leader);
  }
  return result;
}

/** Runs the configured number of trials, each killing the current leader. */
export async function runFailover(ctx) {
  const balancer = await startBalancer(ctx.balancerKind, ctx.target.urls);
  try {
    const trials = [];
    const count = ctx.size.failover.trials;
    for (let i = 1; i <= count; i += 1) {
      trials.push(await trial(ctx, balancer, i, i === count));
      if (i < count) await sleep(1_000);
    }
    await disconnectAll(ctx.generators);
    const max = (key) => (trials.some((t) => t[key] === null) ? null : Math.max(...trials.map((t) => t[key])));
    return {
      balancer: { kind: balancer.kind, version: balancer.version },
      clients: ctx.size.failover.clients,
      trials,
      worst: { noLeaderMs: max('noLeaderMs'), takeoverAfterExpiryMs: max('takeoverAfterExpiryMs'), allResumedAfterKillMs: max('allResumedAfterKillMs'), allResumedAfterNoticeMs: max('allResumedAfterNoticeMs') },
      lost: trials.reduce((sum, t) => sum + t.lost, 0),
      neverBack: trials.reduce((sum, t) => sum + t.neverBack, 0),
    };
  } finally {
    await balancer.close();
  }
}
