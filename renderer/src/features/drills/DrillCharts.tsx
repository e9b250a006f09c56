import type { DrillSample, TimelineEntry } from '@switchboard/shared';
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../components/States.js';
import { PALETTE } from '../../components/TimeChart.js';
import { formatClock, formatLatency, formatRate } from '../../lib/format.js';
import { chartAnnotations, chartRows, type ChartArea, type ChartLineMark, type DrillChartRow, type StepStart } from './annotations.js';

/**
 * The drill's charts over time, live or from a report: delivery latency, throughput and node
 * health, each with the timeline drawn over it (step lines, node gone, new leader, the span
 * without a leader; steps are labelled S1, S2… as in the step list). Charts read ready-made rows
 * and fetch nothing.
 */

const LINE_COLORS: Record<ChartLineMark['tone'], string> = { step: '#8f8f8f', bad: '#e15759', ok: '#59a14f' };

interface Series {
  key: keyof DrillChartRow;
  name: string;
}

function DrillChart(props: { label: string; rows: DrillChartRow[]; series: Series[]; lines: ChartLineMark[]; areas: ChartArea[]; format: (value: number) => string; integer?: boolean }) {
  const { label, rows, series, lines, areas, format, integer = false } = props;
  return (
    <figure className="chart" role="img" aria-label={`${label}: ${rows.length} points, ${lines.length} marks`} data-points={rows.length}>
      <figcaption className="small">{label}</figcaption>
      <ResponsiveContainer width="100%" height={190}>
        <LineChart data={rows} margin={{ top: 14, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="rgba(128,128,128,0.2)" vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(t)} tick={{ fill: 'currentColor', fontSize: 11 }} stroke="rgba(128,128,128,0.5)" minTickGap={40} />
          <YAxis tickFormatter={(v: number) => format(v)} tick={{ fill: 'currentColor', fontSize: 11 }} stroke="rgba(128,128,128,0.5)" width={64} allowDecimals={!integer} />
          <Tooltip labelFormatter={(t) => formatClock(Number(t))} formatter={(value) => (typeof value === 'number' ? format(value) : String(value))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {areas.map((area) => (
            <ReferenceArea key={`${area.from}-${area.to}`} x1={area.from} x2={area.to} fill="#e15759" fillOpacity={0.12} ifOverflow="hidden" label={{ value: area.label, position: 'insideBottom', fontSize: 10, fill: 'currentColor' }} />
          ))}
          {lines.map((line) => (
            <ReferenceLine key={`${line.at}-${line.label}`} x={line.at} stroke={LINE_COLORS[line.tone]} strokeDasharray={line.tone === 'step' ? '4 3' : undefined} ifOverflow="hidden" label={{ value: line.label, position: line.tone === 'step' ? 'insideTopLeft' : 'insideBottomLeft', fontSize: 10, fill: 'currentColor' }} />
          ))}
          {series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={PALETTE[i % PALETTE.length]} dot={false} isAnimationActive={false} strokeWidth={1.75} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Latency, throughput and node health of a run, with its timeline over each. */
export function DrillCharts({ samples, marks, steps }: { samples: readonly DrillSample[]; marks: readonly TimelineEntry[]; steps: readonly StepStart[] }) {
  const rows = useMemo(() => chartRows(samples), [samples]);
  const endAt = rows.at(-1)?.t ?? 0;
  const { lines, areas } = useMemo(() => chartAnnotations(marks, steps, endAt), [marks, steps, endAt]);
  if (rows.length < 2) return <EmptyState title="Waiting for samples">The probes report once a second; the charts start with the second one.</EmptyState>;
  return (
    <div className="drill-charts">
      <DrillChart label="Delivery latency" rows={rows} lines={lines} areas={areas} format={formatLatency} series={[{ key: 'p50', name: 'p50' }, { key: 'p99', name: 'p99' }, { key: 'max', name: 'max' }]} />
      <DrillChart label="Throughput" rows={rows} lines={lines} areas={areas} format={formatRate} series={[{ key: 'posts', name: 'posts/s' }, { key: 'deliveries', name: 'deliveries/s' }, { key: 'errors', name: 'errors/s' }]} />
      <DrillChart label="Node health" rows={rows} lines={lines} areas={areas} format={String} integer series={[{ key: 'active', name: 'active' }, { key: 'draining', name: 'draining' }, { key: 'down', name: 'down' }, { key: 'clients', name: 'probe clients' }]} />
    </div>
  );
}
