import type { Post } from '@switchboard/shared';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { PresenceDot } from '../components/presence-dot.js';
import { chat } from '../state/chat-controller.js';
import { displayName, useChat, useStatus, type PendingPost } from '../state/store.js';

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** One message; the author's own get Edit and Delete (with a confirmation). */
export function MessageItem({ post, mine, editing, onEditingChange }: { post: Post; mine: boolean; editing: boolean; onEditingChange: (on: boolean) => void }) {
  const author = useChat((s) => s.users[post.user_id]);
  const status = useStatus(post.user_id);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className={`message ${mine ? 'mine' : ''}`} data-post-id={post.id} data-testid="message">
      <div className="message-meta">
        <PresenceDot status={status} /> <strong className="author">{displayName(author, 'someone')}</strong>{' '}
        <time dateTime={new Date(post.create_at).toISOString()} className="muted">
          {time(post.create_at)}
        </time>
        {post.edit_at > 0 && <span className="muted edited"> (edited)</span>}
      </div>
      {editing ? (
        <EditBox post={post} onDone={() => onEditingChange(false)} />
      ) : (
        <p className="message-text" data-testid="message-text">
          {post.message}
        </p>
      )}
      {mine && !editing && (
        <div className="message-actions">
          {confirming ? (
            <>
              <span>Delete this message?</span>
              <button type="button" className="danger" onClick={() => void chat.remove(post)}>
                Delete
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              <button type="button" onClick={() => onEditingChange(true)} aria-label={`Edit message: ${post.message.slice(0, 40)}`}>
                Edit
              </button>
              <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete message: ${post.message.slice(0, 40)}`}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** Inline editing: Enter saves, Escape cancels. */
function EditBox({ post, onDone }: { post: Post; onDone: () => void }) {
  const [text, setText] = useState(post.message);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const save = () => {
    const message = text.trim();
    if (message && message !== post.message) void chat.edit(post.id, message);
    onDone();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
  };
  return (
    <div className="edit-box">
      <label className="sr-only" htmlFor={`edit-${post.id}`}>
        Edit message
      </label>
      <textarea id={`edit-${post.id}`} ref={ref} value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} rows={2} />
      <div className="message-actions visible">
        <button type="button" className="primary" onClick={save}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <span className="muted">Enter to save, Escape to cancel</span>
      </div>
    </div>
  );
}

/** A message on its way: greyed while sending; after repeated failures, a retry. */
export function PendingItem({ pending }: { pending: PendingPost }) {
  const me = useChat((s) => s.me);
  return (
    <li className={`message mine pending ${pending.state}`} data-testid="pending-message">
      <div className="message-meta">
        <strong className="author">{displayName(me)}</strong> <span className="muted">{pending.state === 'sending' ? 'sending…' : 'not sent'}</span>
      </div>
      <p className="message-text">{pending.message}</p>
      {pending.state === 'failed' && (
        <div className="message-actions visible">
          <button type="button" onClick={() => void chat.retry(pending)}>
            Retry
          </button>
        </div>
      )}
    </li>
  );
}
