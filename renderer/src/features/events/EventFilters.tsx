import type { EventFilter } from '../../lib/events.js';
import { formatCount } from '../../lib/format.js';

/** The stream's filters: kinds (with their counts), origin node, channel, and a pattern. */
export function EventFilters({ filter, onChange, counts, nodes }: { filter: EventFilter; onChange: (filter: EventFilter) => void; counts: Readonly<Record<string, number>>; nodes: readonly string[] }) {
  const kinds = Object.keys(counts).sort();
  const toggle = (kind: string) => onChange({ ...filter, kinds: filter.kinds.includes(kind) ? filter.kinds.filter((k) => k !== kind) : [...filter.kinds, kind] });
  return (
    <div className="filters">
      <div className="kinds" role="group" aria-label="Kinds">
        {kinds.length === 0 ? <span className="muted small">No kind seen yet.</span> : null}
        {kinds.map((kind) => (
          <button key={kind} type="button" className="chip" aria-pressed={filter.kinds.includes(kind)} onClick={() => toggle(kind)}>
            {kind} <span className="chip-count">{formatCount(counts[kind])}</span>
          </button>
        ))}
      </div>
      <label className="field inline">
        <span>Node</span>
        <select value={filter.node} onChange={(event) => onChange({ ...filter, node: event.target.value })}>
          <option value="">any</option>
          {nodes.map((node) => (
            <option key={node} value={node}>
              {node}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline">
        <span>Channel</span>
        <input type="text" value={filter.channel} placeholder="channel id" onChange={(event) => onChange({ ...filter, channel: event.target.value })} />
      </label>
      <label className="field inline">
        <span>Pattern</span>
        <input type="search" value={filter.pattern} placeholder="text anywhere in the event" onChange={(event) => onChange({ ...filter, pattern: event.target.value })} />
      </label>
    </div>
  );
}
