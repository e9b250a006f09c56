// The Markdown tables of the report, rendered from one result JSON.
import { rssAt10k } from './goals.mjs';

const DASH = '–';

function fmt(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return DASH;
  if (typeof value !== 'number') return String(value);
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toFixed(digits)));
}

function ratio(a, b) {
  return a === null || a === undefined || !b ? DASH : `${fmt(a / b)}×`;
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function latencyRows(label, sb, sio, floor) {
  return ['p50', 'p99'].map((q) => [`${label} ${q} (ms)`, fmt(sb?.[q], 3), fmt(sio?.[q], 3), ratio(sb?.[q], floor?.[q]), ratio(sb?.[q], sio?.[q])]);
}

function mainRows(s) {
  const floor = s.floor?.latencyMs;
  const sb = s['end-to-end'];
  const sio = s.baseline;
  const rows = [
    ...['p50', 'p90', 'p99', 'max'].map((q) => [`Floor: Redis PUBLISH → SUBSCRIBE ${q} (ms)`, DASH, DASH, fmt(floor?.[q], 3) === DASH ? DASH : '1×', DASH]),
    ...['p50', 'p90', 'p99', 'max'].map((q) => [`Node to node ${q} (ms, nodes' own histograms)`, fmt(s['node-to-node']?.latencyMs[q], 3), DASH, ratio(s['node-to-node']?.latencyMs[q], floor?.[q]), DASH]),
    ['Node to node: samples that came out negative (clamped to 0) / all', s['node-to-node'] ? `${fmt(s['node-to-node'].latencyMs.clockSkew)} / ${fmt(s['node-to-node'].latencyMs.count)}` : DASH, DASH, DASH, DASH],
  ];
  rows[0][1] = `floor ${fmt(floor?.p50, 3)}`;
  rows[1][1] = `floor ${fmt(floor?.p90, 3)}`;
  rows[2][1] = `floor ${fmt(floor?.p99, 3)}`;
  rows[3][1] = `floor ${fmt(floor?.max, 3)}`;
  (sb?.a ?? sio?.a ?? []).forEach((_, i) => {
    const mine = sb?.a[i];
    const theirs = sio?.a?.[i];
    const rate = (mine ?? theirs).offeredPostsPerSec;
    rows.push(...latencyRows(`End to end (a) ${rate} posts/s, ${fmt((mine ?? theirs).expectedDeliveries / ((mine ?? theirs).posts || 1))} members:`, mine?.latencyMs, theirs?.latencyMs, floor));
    rows.push([`End to end (a) ${rate} posts/s: deliveries/s achieved`, fmt(mine?.deliveriesPerSec), fmt(theirs?.deliveriesPerSec), DASH, ratio(mine?.deliveriesPerSec, theirs?.deliveriesPerSec)]);
  });
  if (sb?.b || sio?.b) {
    rows.push(...latencyRows(`End to end (b) ${(sb ?? sio).b.offeredPostsPerSec} posts/s, mixed channels:`, sb?.b.latencyMs, sio?.b.latencyMs, floor));
    rows.push(['End to end (b): deliveries/s achieved', fmt(sb?.b.deliveriesPerSec), fmt(sio?.b.deliveriesPerSec), DASH, ratio(sb?.b.deliveriesPerSec, sio?.b.deliveriesPerSec)]);
  }
  if (sb?.c || sio?.c) rows.push(['Capacity (c): deliveries/s with p99 < 50 ms', fmt(sb?.c.deliveriesPerSec), fmt(sio?.c.deliveriesPerSec), DASH, ratio(sb?.c.deliveriesPerSec, sio?.c.deliveriesPerSec)]);
  if (sb?.clients || sio?.clients) {
    const n = fmt((sb ?? sio).clients.connected);
    rows.push([`Connecting the ${n} load clients to nodes B and C (s)`, fmt(sb ? sb.clients.ms / 1000 : null), fmt(sio ? sio.clients.ms / 1000 : null), DASH, ratio(sb?.clients.ms, sio?.clients.ms)]);
    rows.push([`… events other than posts the clients received meanwhile (status_change)`, fmt(sb?.clients.otherEvents), fmt(sio?.clients.otherEvents), DASH, DASH]);
  }
  return rows.concat(connectionRows(s.connections), failoverRows(s.failover));
}

function average(values) {
  return values && values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function connectionRows(connections) {
  if (!connections) return [];
  const sb = connections.switchboard;
  const sio = connections.socketio;
  const per = (c) => average(c?.idle.perThousandMiB);
  return [
    ['RSS per 1,000 idle clients per node (MiB, mean of 3 nodes)', fmt(per(sb)), fmt(per(sio)), DASH, ratio(per(sb), per(sio))],
    [`RSS of 3 nodes with ${fmt(sb?.idle.clients ?? sio?.idle.clients)} idle clients (MiB)`, fmt(sb?.idle.totalMiB), fmt(sio?.idle.totalMiB), DASH, ratio(sb?.idle.totalMiB, sio?.idle.totalMiB)],
    ['RSS of 3 nodes at 10,000 idle clients (MiB; projected when the run held fewer)', fmt(rssAt10k(sb?.idle)), fmt(rssAt10k(sio?.idle)), DASH, ratio(rssAt10k(sb?.idle), rssAt10k(sio?.idle))],
    [`Most clients held at ${sb?.search.rate ?? sio?.search.rate} posts/s with p99 < 50 ms (bounded steps)`, fmt(sb?.search.maxClients), fmt(sio?.search.maxClients), DASH, ratio(sb?.search.maxClients, sio?.search.maxClients)],
  ];
}

function failoverRows(failover) {
  if (!failover) return [];
  const w = failover.worst;
  return [
    [`Failover: no leader after SIGKILL of the leader, worst of ${failover.trials.length} (ms; TTL ${failover.trials[0]?.leaderTtlMs})`, fmt(w.noLeaderMs), DASH, DASH, DASH],
    ['Failover: … of which after the dead leader\'s lease ran out, worst (ms)', fmt(w.takeoverAfterExpiryMs), DASH, DASH, DASH],
    [`Failover: every client of the killed node resumed, after the kill, worst (ms)`, fmt(w.allResumedAfterKillMs), DASH, DASH, DASH],
    [`Failover: … after ${failover.balancer.kind} noticed, worst (ms)`, fmt(w.allResumedAfterNoticeMs), DASH, DASH, DASH],
    ['Failover: posts lost (deliveries missing + clients never resumed)', fmt(failover.lost + failover.neverBack), DASH, DASH, DASH],
  ];
}

function goalRows(goals) {
  return goals.map((g) => [g.name, g.target, g.figure, g.met === null ? 'n/a' : g.met ? '**met**' : '**not met**']);
}

function phaseCpuRows(label, phase) {
  if (!phase) return [];
  const nodes = phase.cpuPercent.nodes.map((v) => fmt(v, 0)).join(' / ');
  const gens = phase.cpuPercent.generators;
  return [[label, fmt(phase.offeredPostsPerSec), fmt(phase.achievedPostsPerSec), fmt(phase.deliveriesPerSec), fmt(phase.latencyMs.p50, 3), fmt(phase.latencyMs.p99, 3), fmt(phase.errors), fmt(phase.lost), fmt(phase.reconnects), nodes, fmt(phase.nodeCpuUsPerDelivery, 1), fmt(phase.nodeWritesPerDelivery), gens.slice(0, -1).map((v) => fmt(v, 0)).join(' / '), fmt(gens.at(-1), 0)]];
}

function phaseTable(result) {
  const s = result.scenarios;
  const rows = [];
  for (const [name, system] of [['Switchboard', s['end-to-end']], ['Socket.IO', s.baseline]]) {
    if (!system) continue;
    system.a.forEach((phase) => rows.push(...phaseCpuRows(`${name} (a)`, phase)));
    rows.push(...phaseCpuRows(`${name} (b)`, system.b));
    system.c.steps.forEach((phase) => rows.push(...phaseCpuRows(`${name} (c) step${phase.held ? '' : ' (not held)'}`, phase)));
  }
  for (const [name, c] of [['Switchboard', s.connections?.switchboard], ['Socket.IO', s.connections?.socketio]]) {
    c?.search.steps.forEach((phase) => rows.push(...phaseCpuRows(`${name} ${fmt(phase.clients)} clients${phase.held ? '' : ' (not held)'}`, phase)));
  }
  return table(['phase', 'offered posts/s', 'achieved posts/s', 'deliveries/s', 'p50 ms', 'p99 ms', 'errors', 'lost', 'reconnects', 'node CPU % (A / B / C)', 'node CPU µs per delivery', 'node writes per delivery', 'receivers CPU %', 'poster CPU %'], rows);
}

function machineSection(result) {
  const m = result.machine;
  return table(['', ''], [
    ['cores', `${m.cores} × ${m.cpuModel}`],
    ['memory', `${m.memoryGiB} GiB`],
    ['system', m.platform],
    ['Node.js', m.node],
    ['Redis', m.redis],
    ['Postgres', m.postgres],
    ['open files (ulimit -n, soft / hard)', `${m.openFiles.soft} / ${m.openFiles.hard}`],
    ['load average at start (1 / 5 / 15 min)', result.loadAverage.start.join(' / ')],
    ['load average at end', result.loadAverage.end.join(' / ')],
    ['run', `${result.startedAt} → ${result.finishedAt}`],
  ]);
}

function nodeToNodeUnderLoad(result) {
  const sb = result.scenarios['end-to-end'];
  if (!sb) return '';
  const phases = [...sb.a.map((p) => ['(a)', p]), ['(b)', sb.b], ...sb.c.steps.map((p) => ['(c)', p])];
  const rows = phases.filter(([, p]) => p.nodeToNodeMs).map(([load, p]) => [`${load} ${fmt(p.offeredPostsPerSec)} posts/s`, fmt(p.nodeToNodeMs.p50, 3), fmt(p.nodeToNodeMs.p99, 3), fmt(p.nodeToNodeMs.max, 3), fmt(p.nodeToNodeMs.count)]);
  return table(['load', 'node-to-node p50 ms', 'p99 ms', 'max ms', 'envelopes'], rows);
}

function failoverTable(failover) {
  if (!failover) return '';
  return table(['trial', 'killed', 'no leader ms', 'lease left at kill ms', 'taken after expiry ms', 'balancer noticed ms', 'clients on killed node', 'resumed', 'started fresh', 'last resumed after kill ms', 'posts acked', 'lost', 'duplicates'],
    failover.trials.map((t, i) => [i + 1, t.killed, fmt(t.noLeaderMs), fmt(t.leaseLeftAtKillMs), fmt(t.takeoverAfterExpiryMs), fmt(t.balancerNoticedMs), t.clientsOnKilledNode, t.resumed, t.startedFresh, fmt(t.allResumedAfterKillMs), t.acked, t.lost, t.duplicates]));
}

/** The whole generated part of the report. */
export function renderReport(result, resultFile) {
  const genCpu = result.scenarios.floor?.generatorCpuMs;
  return [
    `Generated by \`${result.command}\` (size \`${result.size}\`) from \`${resultFile}\`. Every figure below comes from that one run.`,
    '', '### Machine', '', machineSection(result),
    '', 'Other processes may run on this machine while it measures; the load averages above say how busy it was. All traffic is on 127.0.0.1.',
    '', '### Figures', '',
    table(['figure', 'Switchboard', 'Socket.IO', 'Switchboard / floor', 'Switchboard / Socket.IO'], mainRows(result.scenarios)),
    '', '### Goals', '', table(['goal', 'target', 'figure', 'result'], goalRows(result.goals)),
    '', '### Each load phase, with CPU', '',
    'CPU is the share of one core over the phase (from /proc), for the three server processes and the load generators (two receiver processes holding the WebSocket clients, one poster). "Node CPU µs per delivery" and "node writes per delivery" (write-type system calls, /proc/<pid>/io) sum the three servers and divide by the deliveries: they say what a delivery costs, which a busy machine changes less than it changes latency. "Reconnects": Switchboard clients closed by the server (slow consumer) that reconnected and resumed.',
    '', phaseTable(result),
    genCpu ? `\nFloor load generators: publisher ${fmt(genCpu.publisher)} ms CPU, subscriber ${fmt(genCpu.subscriber)} ms CPU.` : '',
    '', '### Node to node under the end-to-end loads (Switchboard, A → B and C)', '', nodeToNodeUnderLoad(result),
    '', '### Failover trials', '', failoverTable(result.scenarios.failover),
    '', `Sizes: \`${JSON.stringify({ users: result.sizes.users, bigMembers: result.sizes.bigMembers, mixUsers: result.sizes.mixUsers, mixChannels: result.sizes.mixChannels })}\`; each load's rates and durations are in the result file.`,
  ].join('\n');
}
