import type { PresenceSummary } from '@switchboard/shared';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../../components/States.js';
import { PALETTE } from '../../components/TimeChart.js';
import { formatCount } from '../../lib/format.js';

/** Users and connections held by each node, as bars and as a table. */
export function NodeDistribution({ presence }: { presence: PresenceSummary }) {
  const rows = [...presence.perNode].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  if (rows.length === 0) return <EmptyState title="No node holds a connection">Users appear per node as soon as clients connect.</EmptyState>;
  return (
    <>
      <figure className="chart" role="img" aria-label={`Users per node: ${rows.map((row) => `${row.nodeId} ${row.users}`).join(', ')}`}>
        <ResponsiveContainer width="100%" height={200}>
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="rgba(128,128,128,0.2)" vertical={false} />
            <XAxis dataKey="nodeId" tick={{ fill: 'currentColor', fontSize: 12 }} stroke="rgba(128,128,128,0.5)" />
            <YAxis allowDecimals={false} tick={{ fill: 'currentColor', fontSize: 11 }} stroke="rgba(128,128,128,0.5)" width={48} />
            <Tooltip contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} cursor={{ fill: 'rgba(128,128,128,0.1)' }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="users" name="Users" fill={PALETTE[0]} isAnimationActive={false} />
            <Bar dataKey="connections" name="Connections" fill={PALETTE[1]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <table className="table compact" aria-label="Users per node">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Users</th>
            <th scope="col">Connections</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.nodeId}>
              <th scope="row">{row.nodeId}</th>
              <td className="num">{formatCount(row.users)}</td>
              <td className="num">{formatCount(row.connections)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
