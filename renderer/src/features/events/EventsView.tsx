import { useDeferredValue, useMemo, useState } from 'react';
import { useRecentEventsSeed, useSnapshot } from '../../api/queries/cluster.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { filterNewestFirst, NO_FILTER, type EventFilter } from '../../lib/events.js';
import { formatCount, formatRate } from '../../lib/format.js';
import { EVENTS_CAPACITY, useEventsStore } from '../../stores/events-store.js';
import { EventFilters } from './EventFilters.js';
import { EventList } from './EventList.js';

/** Events: the cluster's live event stream, newest first, filterable, pausable and clearable. */
export default function EventsView() {
  const seed = useRecentEventsSeed();
  const { data: rates } = useSnapshot((snapshot) => snapshot.eventRates);
  const { events, frozen, counts, dropped, setPaused, clear } = useEventsStore();
  const [filter, setFilter] = useState<EventFilter>(NO_FILTER);
  const deferredFilter = useDeferredValue(filter);
  const shown = frozen ?? events;
  const visible = useMemo(() => filterNewestFirst(shown, deferredFilter), [shown, deferredFilter]);
  const nodes = useMemo(() => [...new Set(events.map((event) => event.origin))].sort(), [events]);
  const waiting = frozen ? events.length - frozen.length : 0;
  return (
    <>
      <ViewHeader title="Events" summary={`Every event the nodes publish on the bus, as it happens (the newest ${formatCount(EVENTS_CAPACITY)} kept).`}>
        <button type="button" onClick={() => setPaused(frozen === null)} aria-pressed={frozen !== null}>
          {frozen ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </ViewHeader>
      <p className="muted small" role="status">
        {frozen ? `Paused: ${formatCount(Math.max(0, waiting))} new event(s) waiting. ` : 'Live. '}
        {rates ? `${formatRate(rates.total)} on the bus. ` : ''}
        {dropped > 0 ? `${formatCount(dropped)} event(s) arrived too fast to show (still counted in the rates).` : ''}
      </p>
      <Panel title="Filters">
        <EventFilters filter={filter} onChange={setFilter} counts={counts} nodes={nodes} />
      </Panel>
      <Panel title={`Stream (${formatCount(visible.length)} shown)`}>
        {seed.isPending && shown.length === 0 ? <Loading label="Reading recent events…" /> : null}
        {seed.error && shown.length === 0 ? <ErrorState title="Recent events could not be read" error={seed.error} onRetry={() => void seed.refetch()} /> : null}
        {!seed.isPending && visible.length === 0 ? <EmptyState title={shown.length === 0 ? 'No event yet' : 'No event matches the filters'}>{shown.length === 0 ? 'Events appear as users post, type or come online.' : 'Loosen a filter to see more.'}</EmptyState> : null}
        {visible.length > 0 ? <EventList events={visible} /> : null}
      </Panel>
    </>
  );
}
