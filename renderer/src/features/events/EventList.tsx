import { useVirtualizer } from '@tanstack/react-virtual';
import type { ObservedEvent } from '@switchboard/shared';
import { useRef } from 'react';
import { formatClock } from '../../lib/format.js';

const ROW_HEIGHT = 34;

function summary(event: ObservedEvent): string {
  const text = JSON.stringify(event.data);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** Events, newest first, virtualized (the ring holds thousands). */
export function EventList({ events }: { events: readonly ObservedEvent[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: events.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  return (
    <div ref={scroller} className="virtual-scroller events-scroller" role="list" aria-label="Events, newest first">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const event = events[item.index]!;
          return (
            <div key={event.streamId} role="listitem" className="event-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
              <span className="event-time">{formatClock(event.ts)}</span>
              <span className="event-kind">{event.kind}</span>
              <span className="event-origin">{event.origin}</span>
              <span className="event-channel muted" title={event.channelId}>
                {event.channelId ? event.channelId.slice(0, 8) : '—'}
              </span>
              {event.verified ? null : (
                <span className="muted small" title="Not checked against the cluster secret">
                  unverified
                </span>
              )}
              <code className="event-data">{summary(event)}</code>
            </div>
          );
        })}
      </div>
    </div>
  );
}
