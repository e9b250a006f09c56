import { useState, type ReactNode } from 'react';
import { NodeIndicator } from '../components/connection-banner.js';
import { PresenceDot } from '../components/presence-dot.js';
import { chat } from '../state/chat-controller.js';
import { directPartner, displayName, useChat, useStatus } from '../state/store.js';
import { unreadCount } from '../state/unreads.js';
import { BrowseChannelsDialog, DirectMessageDialog, NewChannelDialog } from './channel-dialogs.js';
import { TeamDialog } from './team-picker.js';

type DialogKind = 'new-channel' | 'browse' | 'direct' | 'team' | undefined;

/** Teams, the user's channels and direct messages with unread counts, and who and where they are. */
export function Sidebar() {
  const { me, teams, teamId, channels, channelId, unreads, users, statuses } = useChat();
  const [dialog, setDialog] = useState<DialogKind>();
  const myStatus = useStatus(me?.id);
  const myId = me?.id ?? '';
  const list = Object.values(channels);
  const rooms = list.filter((c) => c.type !== 'D').sort((a, b) => a.display_name.localeCompare(b.display_name));
  const directs = list
    .filter((c) => c.type === 'D')
    .map((c) => ({ channel: c, partner: directPartner(c, myId) ?? myId }))
    .sort((a, b) => displayName(users[a.partner]).localeCompare(displayName(users[b.partner])));

  const entry = (id: string, label: ReactNode, name: string) => {
    const count = unreadCount(unreads, id);
    const active = id === channelId;
    return (
      <li key={id}>
        <button type="button" className={`channel ${active ? 'active' : ''} ${count > 0 ? 'unread' : ''}`} aria-current={active ? 'page' : undefined} onClick={() => void chat.selectChannel(id)} data-channel={name}>
          {label}
          {count > 0 && (
            <span className="badge" aria-label={`${count} unread`}>
              {count}
            </span>
          )}
        </button>
      </li>
    );
  };

  return (
    <nav id="sidebar" className="sidebar" aria-label="Teams and channels">
      <div className="teams">
        <label className="sr-only" htmlFor="team-select">
          Team
        </label>
        <select id="team-select" value={teamId ?? ''} onChange={(e) => void chat.selectTeam(e.target.value)} disabled={teams.length === 0}>
          {teams.length === 0 && <option value="">No team yet</option>}
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.display_name}
            </option>
          ))}
        </select>
        <button type="button" className="icon" aria-label="Create or join a team" title="Create or join a team" onClick={() => setDialog('team')}>
          +
        </button>
      </div>
      {teamId && (
        <>
          <div className="section-head">
            <h2 id="channels-heading">Channels</h2>
            <button type="button" className="icon" aria-label="Browse channels" title="Browse channels" onClick={() => setDialog('browse')}>
              ⌕
            </button>
            <button type="button" className="icon" aria-label="Create a channel" title="Create a channel" onClick={() => setDialog('new-channel')}>
              +
            </button>
          </div>
          <ul aria-labelledby="channels-heading">{rooms.map((c) => entry(c.id, <span className="channel-name"># {c.display_name}</span>, c.name))}</ul>
          <div className="section-head">
            <h2 id="directs-heading">Direct messages</h2>
            <button type="button" className="icon" aria-label="Write to someone" title="Write to someone" onClick={() => setDialog('direct')}>
              +
            </button>
          </div>
          <ul aria-labelledby="directs-heading">
            {directs.map(({ channel, partner }) =>
              entry(
                channel.id,
                <span className="channel-name">
                  <PresenceDot status={partner === myId ? myStatus : statuses[partner]} /> {displayName(users[partner], 'direct message')}
                  {partner === myId ? ' (you)' : ''}
                </span>,
                `dm-${users[partner]?.username ?? partner}`,
              ),
            )}
          </ul>
        </>
      )}
      <div className="me">
        <p>
          <PresenceDot status={myStatus} /> <strong data-testid="me">{me?.username}</strong>
        </p>
        <button type="button" className="link" onClick={() => void chat.logout()}>
          Log out
        </button>
        <NodeIndicator />
      </div>
      {dialog === 'new-channel' && <NewChannelDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'browse' && <BrowseChannelsDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'direct' && <DirectMessageDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'team' && <TeamDialog onClose={() => setDialog(undefined)} />}
    </nav>
  );
}
