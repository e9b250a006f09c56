import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock } from '../lib/format.js';
import { EmptyState } from './States.js';

/** Series colours, readable on the light and the dark theme alike. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#8f8f8f'];

/** One line of a chart. */
export interface ChartLine {
  /** The field of each row it plots. */
  key: string;
  name: string;
  color?: string;
  dashed?: boolean;
}

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  /** Rows with `t` (epoch ms) and a field per line. */
  data: ReadonlyArray<{ t: number }>;
  lines: readonly ChartLine[];
  /** Says what the chart shows (its accessible name). */
  label: string;
  formatValue?: (value: number) => string;
  emptyTitle?: string;
  emptyHint?: string;
  height?: number;
  /** Draw across missing points (series whose points do not all share a time). @default false */
  connectNulls?: boolean;
  /** The values are counts: whole-number ticks only. @default false */
  integer?: boolean;
}

/**
 * A line chart over time for live series; it draws gaps where values are null and waits quietly
 * for its second point.
 * @example <TimeChart label="Users online" data={series} lines={[{ key: 'users', name: 'Users' }]} />
 */
export function TimeChart({ data, lines, label, formatValue = String, emptyTitle = 'Waiting for data', emptyHint, height = 220, connectNulls = false, integer = false }: TimeChartProps) {
  if (data.length < 2) return <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>;
  return (
    <figure className="chart" role="img" aria-label={`${label}: ${data.length} points`} data-points={data.length}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data as Array<{ t: number }>} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="rgba(128,128,128,0.2)" vertical={false} />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(t: number) => formatClock(t)} tick={{ fill: 'currentColor', fontSize: 11 }} stroke="rgba(128,128,128,0.5)" minTickGap={40} />
          <YAxis tickFormatter={(v: number) => formatValue(v)} tick={{ fill: 'currentColor', fontSize: 11 }} stroke="rgba(128,128,128,0.5)" width={64} allowDecimals={!integer} />
          <Tooltip labelFormatter={(t) => formatClock(Number(t))} formatter={(value) => (typeof value === 'number' ? formatValue(value) : String(value))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} />
          {lines.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {lines.map((line, i) => (
            <Line key={line.key} dataKey={line.key} name={line.name} stroke={line.color ?? PALETTE[i % PALETTE.length]} strokeDasharray={line.dashed ? '4 3' : undefined} dot={false} isAnimationActive={false} connectNulls={connectNulls} strokeWidth={1.75} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
