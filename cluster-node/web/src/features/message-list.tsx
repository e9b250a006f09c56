import { useLayoutEffect, useRef } from 'react';
import { chat } from '../state/chat-controller.js';
import { postsInOrder } from '../state/posts.js';
import { useChat, windowOf } from '../state/store.js';
import { MessageItem, PendingItem } from './message-item.js';

/** How close to the top (px) scrolling starts loading older history. @default 150 */
const LOAD_OLDER_WITHIN_PX = 150;
/** How close to the bottom (px) counts as "at the bottom", so new messages keep it in view. @default 48 */
const BOTTOM_WITHIN_PX = 48;

/**
 * The channel's messages, oldest at the top. Scrolling up loads earlier pages (the view stays on
 * the message being read); new messages keep the view at the bottom only if it was there.
 */
export function MessageList({ channelId, editingId, onEditingChange }: { channelId: string; editingId: string | undefined; onEditingChange: (id: string | undefined) => void }) {
  const window = useChat((s) => windowOf(s, channelId));
  const pending = useChat((s) => s.pending[channelId]);
  const loading = useChat((s) => s.loadingHistory);
  const me = useChat((s) => s.me?.id ?? '');
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previous = useRef({ channelId: '', height: 0, first: '' });
  const posts = postsInOrder(window);
  const first = posts[0]?.id ?? '';

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = previous.current;
    if (before.channelId !== channelId) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else if (first !== before.first && before.first && before.height) {
      // Older posts were put in front: keep the same message under the reader's eyes.
      el.scrollTop += el.scrollHeight - before.height;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    previous.current = { channelId, height: el.scrollHeight, first };
    // A first page that does not fill the view cannot be scrolled: fetch more right away.
    if (el.scrollHeight <= el.clientHeight && !window.reachedStart && posts.length > 0 && !loading) void chat.loadOlder();
  });

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_WITHIN_PX;
    if (el.scrollTop <= LOAD_OLDER_WITHIN_PX && !window.reachedStart) void chat.loadOlder();
  };

  return (
    <div className="messages" ref={ref} onScroll={onScroll} tabIndex={0} role="log" aria-label="Messages" aria-busy={loading}>
      <div className="history-edge">
        {window.reachedStart ? (
          <p className="muted">This is the start of the conversation.</p>
        ) : (
          <button type="button" className="link" onClick={() => void chat.loadOlder()} disabled={loading}>
            {loading ? 'Loading earlier messages…' : 'Load earlier messages'}
          </button>
        )}
      </div>
      <ol className="message-items">
        {posts.map((post) => (
          <MessageItem key={post.id} post={post} mine={post.user_id === me} editing={editingId === post.id} onEditingChange={(on) => onEditingChange(on ? post.id : undefined)} />
        ))}
        {(pending ?? []).map((p) => (
          <PendingItem key={p.pendingId} pending={p} />
        ))}
      </ol>
    </div>
  );
}
