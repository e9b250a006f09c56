import { PALETTE } from '../../components/TimeChart.js';
import { formatClock, formatDuration } from '../../lib/format.js';
import type { LeaderTerm } from './terms.js';

/**
 * The terms on one time axis: a bar per term in its node's colour, empty space for the gaps
 * between leaders. A term whose start is unknown begins at the left edge.
 */
export function Timeline({ terms, now }: { terms: readonly LeaderTerm[]; now: number }) {
  const starts = terms.map((term) => term.start).filter((t): t is number => t !== null);
  const from = starts.length > 0 ? Math.min(...starts) : now - 60_000;
  const span = Math.max(1_000, now - from);
  const nodes = [...new Set(terms.map((term) => term.nodeId))].sort();
  const x = (t: number) => ((t - from) / span) * 100;
  const summary = terms.map((term) => `${term.nodeId} epoch ${term.epoch}${term.ongoing ? ' (current)' : ''}`).join(', ');
  return (
    <figure className="timeline" role="img" aria-label={`Leadership timeline: ${summary}`}>
      <svg viewBox="0 0 100 24" preserveAspectRatio="none" width="100%" height="48">
        <rect x="0" y="0" width="100" height="24" fill="rgba(128,128,128,0.08)" />
        {terms.map((term) => {
          const start = x(term.start ?? from);
          const end = x(term.ongoing ? now : (term.end ?? term.start ?? from));
          const color = PALETTE[nodes.indexOf(term.nodeId) % PALETTE.length];
          return <rect key={term.epoch} x={start} y="3" width={Math.max(0.4, end - start)} height="18" fill={color} opacity={term.ongoing ? 1 : 0.75} />;
        })}
      </svg>
      <figcaption className="timeline-axis muted small">
        <span>{formatClock(from)}</span>
        <span>{formatDuration(span)} shown</span>
        <span>now</span>
      </figcaption>
      <ul className="legend">
        {nodes.map((node, i) => (
          <li key={node}>
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
            {node}
          </li>
        ))}
      </ul>
    </figure>
  );
}
