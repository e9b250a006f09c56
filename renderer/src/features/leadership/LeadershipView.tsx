import { useSnapshot } from '../../api/queries/cluster.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { Stat } from '../../components/Stat.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { formatDateTime, formatDuration } from '../../lib/format.js';
import { useNow } from '../../lib/use-now.js';
import { useMemoryStore } from '../../stores/memory-store.js';
import { buildTerms } from './terms.js';
import { TermsTable } from './TermsTable.js';
import { Timeline } from './Timeline.js';

/** Leadership: who holds the lease now, under which epoch and for how long, and every term before. */
export default function LeadershipView() {
  const now = useNow(1_000);
  const snapshot = useSnapshot();
  const changes = useMemoryStore((state) => state.leaderChanges);
  const seen = useMemoryStore((state) => state.seen);
  const header = <ViewHeader title="Leadership" summary="The leader runs the cluster's singleton jobs under a fencing epoch. A new epoch means a new term." />;
  if (snapshot.isPending) return <>{header}<Loading label="Reading the leader lease…" /></>;
  if (snapshot.error) return <>{header}<ErrorState title="The leader lease could not be read" error={snapshot.error} onRetry={() => void snapshot.refetch()} /></>;
  const { leader, leaderHistory } = snapshot.data;
  const lastBeats = Object.fromEntries(Object.entries(seen).map(([id, { entry }]) => [id, entry.lastBeat]));
  const terms = buildTerms(leaderHistory, changes, leader, lastBeats);
  return (
    <>
      {header}
      <div className="stats" aria-label="Current leader">
        <Stat label="Leader" value={leader ? leader.nodeId : 'none'} tone={leader ? 'ok' : 'bad'} note={leader ? undefined : 'No node holds the lease'} />
        <Stat label="Epoch" value={leader ? leader.epoch : '—'} />
        <Stat label="Term length" value={leader?.since != null ? formatDuration(now - leader.since) : '—'} note={leader?.since != null ? `since ${formatDateTime(leader.since)}` : undefined} />
        <Stat label="Terms seen" value={terms.length} />
      </div>
      <Panel title="Timeline">
        {terms.length === 0 ? <EmptyState title="No leadership recorded yet">A node takes the lease within a second of starting.</EmptyState> : <Timeline terms={terms} now={now} />}
      </Panel>
      <Panel title="Terms">{terms.length === 0 ? <EmptyState title="No term yet" /> : <TermsTable terms={terms} now={now} />}</Panel>
    </>
  );
}
