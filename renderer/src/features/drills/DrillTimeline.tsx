import type { TimelineEntry } from '@switchboard/shared';
import { StatusBadge } from '../../components/StatusBadge.js';
import { EmptyState } from '../../components/States.js';
import { formatClock, formatDuration } from '../../lib/format.js';
import { MARK_WORDS, markTone } from './drill-words.js';

/** Marks the timeline list shows (the newest; the charts show them all). @default 300 */
export const TIMELINE_ROWS = 300;

/**
 * The run's timeline as a list, newest first: what happened, when, during which step. Live, it
 * is announced politely to screen readers as marks arrive.
 */
export function DrillTimeline({ marks, startedAt, live }: { marks: readonly TimelineEntry[]; startedAt: number; live: boolean }) {
  if (marks.length === 0) return <EmptyState title="Nothing on the timeline yet">Steps, nodes leaving and joining, leader changes and client resumes appear here as they happen.</EmptyState>;
  const shown = marks.slice(-TIMELINE_ROWS).reverse();
  return (
    <ol className="drill-timeline" role="log" aria-live={live ? 'polite' : 'off'} aria-label="Drill timeline">
      {shown.map((mark, i) => (
        <li key={`${mark.at}-${mark.kind}-${mark.node ?? ''}-${mark.client ?? ''}-${i}`} data-kind={mark.kind}>
          <span className="muted num" title={formatClock(mark.at)}>
            +{formatDuration(mark.at - startedAt)}
          </span>
          <StatusBadge tone={markTone(mark.kind)}>{MARK_WORDS[mark.kind]}</StatusBadge>
          <span>
            {mark.detail}
            {mark.durationMs !== undefined ? <span className="muted"> ({formatDuration(mark.durationMs)})</span> : null}
          </span>
          <span className="muted small">{mark.step === null ? 'before the steps' : `step ${mark.step + 1}`}</span>
        </li>
      ))}
      {marks.length > TIMELINE_ROWS ? <li className="muted small">{marks.length - TIMELINE_ROWS} earlier marks are on the charts.</li> : null}
    </ol>
  );
}
