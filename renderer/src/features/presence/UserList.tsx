import { useVirtualizer } from '@tanstack/react-virtual';
import type { PresenceUser } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { PRESENCE_PAGE_SIZE, usePresencePages } from '../../api/queries/cluster.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { formatCount } from '../../lib/format.js';
import { useDebounced } from '../../lib/use-debounced.js';

/** Height of one row, px. */
const ROW_HEIGHT = 36;

function UserRow({ user }: { user: PresenceUser | undefined }) {
  if (!user) return <span className="muted">…</span>;
  return (
    <>
      <span className="user-name">{user.username ?? <span className="muted">{user.id}</span>}</span>
      <StatusBadge tone="ok">online</StatusBadge>
      <span className="muted small">
        {user.connections} socket{user.connections === 1 ? '' : 's'}
      </span>
      <span className="user-nodes">{user.nodes.join(', ')}</span>
    </>
  );
}

/**
 * Online users, searchable, in a virtualized list: only the rows on screen exist in the page and
 * only their pages are fetched, so ten thousand users scroll as smoothly as ten.
 */
export function UserList() {
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 250);
  const scroller = useRef<HTMLDivElement>(null);
  const [total, setTotal] = useState(0);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const pages = [...new Set(items.map((item) => Math.floor(item.index / PRESENCE_PAGE_SIZE)))];
  const result = usePresencePages(search, pages);
  useEffect(() => {
    if (result.total !== undefined) setTotal(result.total);
  }, [result.total]);
  const userAt = (index: number) => result.pages.get(Math.floor(index / PRESENCE_PAGE_SIZE))?.users[index % PRESENCE_PAGE_SIZE];
  return (
    <div className="user-list">
      <label className="field inline">
        <span>Search users</span>
        <input type="search" value={text} placeholder="username or id" onChange={(event) => setText(event.target.value)} />
      </label>
      <p className="muted small" role="status">
        {result.total === undefined ? '' : `${formatCount(result.total)} user${result.total === 1 ? '' : 's'} ${search ? `matching “${search}”` : 'online'}`}
      </p>
      {result.isPending ? <Loading label="Reading online users…" /> : null}
      {result.error && result.total === undefined ? <ErrorState title="Online users could not be read" error={result.error} /> : null}
      {result.total === 0 ? <EmptyState title={search ? 'No online user matches' : 'Nobody is online'}>{search ? 'Try part of the username or id.' : 'Users appear here as soon as a client connects to any node.'}</EmptyState> : null}
      <div ref={scroller} className="virtual-scroller" role="list" aria-label="Online users" hidden={!total}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <div key={item.key} role="listitem" className="user-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}>
              <UserRow user={userAt(item.index)} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
