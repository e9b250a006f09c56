import { useEffect, useState } from 'react';
import { PresenceDot } from '../components/presence-dot.js';
import { postsInOrder } from '../state/posts.js';
import { directPartner, displayName, useChat, windowOf } from '../state/store.js';
import { Composer } from './composer.js';
import { MessageList } from './message-list.js';

/** The open channel: its name, its messages, who is typing, and the composer. */
export function ChannelPane() {
  const channel = useChat((s) => (s.channelId ? s.channels[s.channelId] : undefined));
  const me = useChat((s) => s.me);
  const users = useChat((s) => s.users);
  const statuses = useChat((s) => s.statuses);
  const [editingId, setEditingId] = useState<string | undefined>();

  useEffect(() => setEditingId(undefined), [channel?.id]);

  if (!channel) {
    return (
      <main className="pane">
        <p className="empty">Pick a channel on the left, or create one.</p>
      </main>
    );
  }
  const partner = directPartner(channel, me?.id ?? '');
  const title = partner ? displayName(users[partner], 'direct message') : `# ${channel.display_name}`;

  const editLast = () => {
    const s = useChat.getState();
    const mine = postsInOrder(windowOf(s, channel.id)).filter((p) => p.user_id === me?.id);
    const last = mine[mine.length - 1];
    if (last) setEditingId(last.id);
  };

  return (
    <main className="pane" aria-labelledby="channel-title">
      <header className="pane-head">
        <h1 id="channel-title">
          {partner && <PresenceDot status={statuses[partner]} />} {title}
        </h1>
        {channel.type === 'P' && <span className="muted">private</span>}
      </header>
      <MessageList channelId={channel.id} editingId={editingId} onEditingChange={setEditingId} />
      <TypingLine channelId={channel.id} />
      <Composer channelId={channel.id} label={`Message ${title}`} onEditLast={editLast} />
    </main>
  );
}

/** "alice is typing…" while typing notices are fresh. */
function TypingLine({ channelId }: { channelId: string }) {
  const typing = useChat((s) => s.typing[channelId]);
  const users = useChat((s) => s.users);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const names = Object.entries(typing ?? {})
    .filter(([, until]) => until > now)
    .map(([id]) => displayName(users[id]));
  const text = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  return (
    <p className="typing" aria-live="polite" data-testid="typing">
      {text}
    </p>
  );
}
