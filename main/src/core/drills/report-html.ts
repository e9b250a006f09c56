import type { DrillReport, DrillSample, TimelineEntry } from '@switchboard/shared';

/**
 * The drill report as one self-contained HTML file: inline CSS, inline SVG charts (latency,
 * throughput, node health) with the timeline drawn over them as numbered annotations, the
 * thresholds, the hypothesis, the steps, each probe client's figures and the raw JSON. No
 * script and no external URL, so it can be attached to a release as is.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attributes. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Marks drawn on the charts (the rest are listed only). */
const DRAWN: ReadonlySet<TimelineEntry['kind']> = new Set(['step-sent', 'node-gone', 'node-back', 'leader-lost', 'new-leader', 'client-resumed', 'client-new-connection', 'probe-gap', 'abort', 'restored']);

const COLORS: Partial<Record<TimelineEntry['kind'], string>> = {
  'step-sent': '#7c3aed',
  'node-gone': '#dc2626',
  'node-back': '#16a34a',
  'leader-lost': '#ea580c',
  'new-leader': '#0891b2',
  'client-resumed': '#65a30d',
  'client-new-connection': '#ca8a04',
  'probe-gap': '#be185d',
  abort: '#111827',
  restored: '#16a34a',
};

interface Line {
  label: string;
  color: string;
  values: Array<number | null>;
}

const WIDTH = 900;
const HEIGHT = 180;
const PAD = { left: 50, right: 10, top: 10, bottom: 24 };

function chart(title: string, unit: string, samples: readonly DrillSample[], lines: readonly Line[], marks: ReadonlyArray<{ n: number; entry: TimelineEntry }>, start: number, end: number): string {
  const span = Math.max(1, end - start);
  const x = (at: number) => PAD.left + ((at - start) / span) * (WIDTH - PAD.left - PAD.right);
  const top = Math.max(1, ...lines.flatMap((line) => line.values.filter((value): value is number => value !== null)));
  const y = (value: number) => HEIGHT - PAD.bottom - (value / top) * (HEIGHT - PAD.top - PAD.bottom);
  const paths = lines.map((line) => {
    let d = '';
    let open = false;
    line.values.forEach((value, i) => {
      if (value === null) return void (open = false);
      d += `${open ? 'L' : 'M'}${x(samples[i]!.at).toFixed(1)},${y(value).toFixed(1)} `;
      open = true;
    });
    return `<path d="${d.trim()}" fill="none" stroke="${line.color}" stroke-width="1.6"/>`;
  });
  const annotations = marks.map(({ n, entry }) => {
    const at = x(entry.at).toFixed(1);
    const color = COLORS[entry.kind] ?? '#6b7280';
    return `<g><line x1="${at}" x2="${at}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="${color}" stroke-dasharray="3,3"/><text x="${at}" y="${PAD.top + 8}" font-size="9" fill="${color}" text-anchor="middle">${n}</text><title>${escapeHtml(`${n}. ${entry.kind}: ${entry.detail}`)}</title></g>`;
  });
  const ticks = Array.from({ length: 6 }, (_, i) => start + (span * i) / 5).map((at) => `<text x="${x(at).toFixed(1)}" y="${HEIGHT - 6}" font-size="10" text-anchor="middle">${((at - start) / 1000).toFixed(0)} s</text>`);
  const legend = lines.map((line) => `<span class="key"><i style="background:${line.color}"></i>${escapeHtml(line.label)}</span>`).join(' ');
  return `<figure><figcaption>${escapeHtml(title)} <small>(${escapeHtml(unit)}, max ${Math.round(top * 10) / 10})</small> ${legend}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeHtml(title)}">
<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom}" stroke="#9ca3af"/>
<text x="4" y="${PAD.top + 8}" font-size="10">${Math.round(top * 10) / 10}</text><text x="4" y="${HEIGHT - PAD.bottom}" font-size="10">0</text>
${ticks.join('')}${paths.join('')}${annotations.join('')}</svg></figure>`;
}

function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${typeof cell === 'object' && cell !== null && 'html' in cell ? (cell as { html: string }).html : escapeHtml(cell ?? '-')}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const badge = (pass: boolean) => ({ html: `<b class="${pass ? 'pass' : 'fail'}">${pass ? 'pass' : 'fail'}</b>` });
const stepName = (report: DrillReport, index: number | null) => (index === null ? '-' : `${index + 1}. ${report.steps[index]?.action ?? ''}`);

/**
 * Renders a report as a self-contained HTML page.
 * @example await writeFile('drill.html', renderReportHtml(report));
 */
export function renderReportHtml(report: DrillReport): string {
  const start = report.startedAt;
  const end = Math.max(report.endedAt, start + 1);
  const samples = report.series;
  const drawn = report.timeline.filter((entry) => DRAWN.has(entry.kind)).map((entry, i) => ({ n: i + 1, entry }));
  const rel = (at: number) => `${((at - start) / 1000).toFixed(1)} s`;
  const nodeIds = report.nodes;
  const charts = [
    chart('Delivery latency', 'ms', samples, [
      { label: 'p50', color: '#2563eb', values: samples.map((s) => s.latencyP50Ms) },
      { label: 'p99', color: '#dc2626', values: samples.map((s) => s.latencyP99Ms) },
    ], drawn, start, end),
    chart('Throughput', 'per second', samples, [
      { label: 'posts acknowledged', color: '#2563eb', values: samples.map((s) => s.postsPerSecond) },
      { label: 'deliveries', color: '#16a34a', values: samples.map((s) => s.deliveriesPerSecond) },
      { label: 'post errors', color: '#dc2626', values: samples.map((s) => s.errorsPerSecond) },
    ], drawn, start, end),
    chart('Node health', 'nodes', samples, [
      { label: 'active', color: '#16a34a', values: samples.map((s) => s.nodesActive) },
      { label: 'draining', color: '#ca8a04', values: samples.map((s) => s.nodesDraining) },
      { label: 'down', color: '#dc2626', values: samples.map((s) => s.nodesDown) },
      { label: 'probe clients connected', color: '#7c3aed', values: samples.map((s) => s.clientsConnected) },
    ], drawn, start, end),
  ];
  const health = nodeIds.map((id) => {
    const cells = samples.map((s) => `<i class="h-${s.nodes[id] ?? 'down'}" title="${escapeHtml(`${rel(s.at)} ${s.nodes[id] ?? 'down'}`)}"></i>`).join('');
    return `<div class="strip"><span>${escapeHtml(id)}</span>${cells}</div>`;
  });
  const f = report.figures;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Drill ${escapeHtml(report.scenario.name)}: ${escapeHtml(report.verdict)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:960px;color:#111827;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.Pass{background:#16a34a}.Fail{background:#dc2626}.Stopped{background:#6b7280}
.pass{color:#16a34a}.fail{color:#dc2626}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #f3f4f6;vertical-align:top}
.figs{display:grid;grid-template-columns:repeat(4,1fr);gap:8px}.figs div{background:#f9fafb;padding:8px;border-radius:4px}.figs b{display:block;font-size:20px}
figure{margin:12px 0}figcaption{font-weight:600}.key{font-weight:400;margin-left:10px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}
.strip{display:flex;align-items:center;height:14px}.strip span{width:60px;font-size:12px}.strip i{flex:1;height:12px}
.h-active{background:#16a34a}.h-draining{background:#ca8a04}.h-starting{background:#60a5fa}.h-down{background:#dc2626}
pre{background:#f9fafb;padding:8px;overflow:auto;font-size:12px}
</style></head><body>
<h1>Drill <code>${escapeHtml(report.scenario.name)}</code> <span class="verdict ${escapeHtml(report.verdict)}">${escapeHtml(report.verdict)}</span></h1>
<p>${escapeHtml(report.reason)}</p>
<p>Run <code>${escapeHtml(report.runId)}</code>, profile <code>${escapeHtml(report.profile)}</code> (cluster <code>${escapeHtml(report.cluster)}</code>), nodes ${escapeHtml(nodeIds.join(', ') || '-')}, ${escapeHtml(new Date(report.startedAt).toISOString())} to ${escapeHtml(new Date(report.endedAt).toISOString())} (${((report.endedAt - report.startedAt) / 1000).toFixed(1)} s).</p>
<div class="figs">
<div>lost<b>${report.lost}</b></div><div>unexpected<b>${report.unexpected}</b></div><div>recovered<b>${report.recovered}</b></div><div>reordered<b>${report.reordered}</b></div>
<div>probe success<b>${report.probeSuccessPercent}%</b></div><div>time without leader<b>${f.timeWithoutLeaderMs} ms</b></div><div>longest gap<b>${f.longestGapMs} ms</b></div><div>longest resume<b>${f.longestResumeMs} ms</b></div>
</div>
<h2>Thresholds</h2>
${table(['threshold', 'limit', 'actual', 'result', 'failed at step', 'detail'], report.thresholds.map((t) => [t.name, `${t.kind} ${t.limit}`, t.actual, badge(t.pass), stepName(report, t.failedAtStep), t.detail]))}
<h2>Steady-state hypothesis</h2>
${table(['check', 'before', 'during (longest failing / tolerance)', 'after', 'result', 'detail'], report.hypothesis.map((h) => [h.check, badge(h.before), `${h.longestFailingMs} / ${h.toleranceMs} ms`, badge(h.after), badge(h.pass), h.detail]))}
<h2>Charts</h2>
${charts.join('\n')}
<figure><figcaption>Nodes over time</figcaption>${health.join('')}</figure>
<h2>Timeline</h2>
${table(['#', 'time', 'step', 'event', 'detail'], report.timeline.map((entry) => [drawn.find((d) => d.entry === entry)?.n ?? '', rel(entry.at), stepName(report, entry.step), entry.kind, `${entry.detail}${entry.durationMs === undefined ? '' : ` (${entry.durationMs} ms)`}`]))}
<h2>Steps</h2>
${table(['#', 'action', 'description', 'targets', 'started', 'took', 'result'], report.steps.map((s) => [s.index + 1, s.action, s.description, s.targets.join(', '), rel(s.startedAt), s.endedAt === null ? '-' : `${s.endedAt - s.startedAt} ms`, s.ok ? { html: '<b class="pass">ok</b>' } : { html: `<b class="fail">${escapeHtml(s.error ?? 'failed')}</b>` }]))}
<h2>Probe clients</h2>
${table(['client', 'node', 'posts (acked/attempted)', 'received', 'lost', 'dup', 'recovered', 'reordered', 'longest gap', 'reconnects (resumed/new)', 'reconnect ms', 'resume ms', 'seq gaps'], f.clients.map((c) => [c.client, c.node, `${c.acknowledged}/${c.attempted}`, c.received, c.lost, c.duplicated, c.recovered, c.reordered, `${c.longestGapMs} ms`, `${c.disconnects} (${c.resumed}/${c.newConnections})`, c.reconnectMs.join(', '), c.resumeMs.join(', '), c.sequenceGaps]))}
<h2>Latency</h2>
${table(['phase', 'deliveries', 'p50', 'p90', 'p99', 'max'], [['baseline', f.baseline.count, f.baseline.p50, f.baseline.p90, f.baseline.p99, f.baseline.max], ['drill', f.drill.count, f.drill.p50, f.drill.p90, f.drill.p99, f.drill.max]])}
<h2>Restore</h2>
<p>${report.restore.actions.length === 0 && report.restore.errors.length === 0 ? 'Nothing to restore.' : escapeHtml([...report.restore.actions, ...report.restore.errors].join('; '))}</p>
<h2>Raw figures</h2>
<details><summary>JSON</summary><pre>${escapeHtml(JSON.stringify({ ...report, series: `${report.series.length} samples (see report.json)` }, null, 2))}</pre></details>
</body></html>
`;
}
