import { useEffect, useState } from 'react';
import { ConnectionBanner } from '../components/connection-banner.js';
import { chat } from '../state/chat-controller.js';
import { useChat } from '../state/store.js';
import { ChannelPane } from './channel-pane.js';
import { Sidebar } from './sidebar.js';
import { TeamPicker } from './team-picker.js';

/** The signed-in layout: banner, sidebar (teams, channels, direct messages), the channel. */
export function ChatView() {
  const teamId = useChat((s) => s.teamId);
  const teams = useChat((s) => s.teams);
  const notice = useChat((s) => s.notice);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const channelId = useChat((s) => s.channelId);

  // Back in the tab: what arrived while it was hidden is now seen.
  useEffect(() => {
    const onVisible = () => {
      const current = useChat.getState().channelId;
      if (document.visibilityState === 'visible' && current) chat.markViewed(current);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  useEffect(() => setSidebarOpen(false), [channelId]);

  return (
    <div className={`layout ${sidebarOpen ? 'sidebar-open' : ''}`}>
      <ConnectionBanner />
      {notice && (
        <div className="notice" role="alert">
          {notice}{' '}
          <button type="button" className="link" onClick={() => useChat.setState({ notice: undefined })}>
            Dismiss
          </button>
        </div>
      )}
      <button type="button" className="sidebar-toggle" aria-expanded={sidebarOpen} aria-controls="sidebar" onClick={() => setSidebarOpen((open) => !open)}>
        {sidebarOpen ? 'Close channels' : 'Channels'}
      </button>
      <Sidebar />
      {teamId && teams.length > 0 ? <ChannelPane /> : <TeamPicker />}
    </div>
  );
}
