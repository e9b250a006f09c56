import type { Channel, User } from '@switchboard/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { errorText } from '../api/chat-api.js';
import { Modal } from '../components/modal.js';
import { PresenceDot } from '../components/presence-dot.js';
import { chat } from '../state/chat-controller.js';
import { displayName, useChat } from '../state/store.js';

/** Create a channel (open or private) in the current team. */
export function NewChannelDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<'O' | 'P'>('O');
  const [error, setError] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await chat.createChannel(name.trim(), type);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Modal title="Create a channel" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          Name
          <input name="channel-name" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <fieldset>
          <legend>Who can join</legend>
          <label className="inline">
            <input type="radio" name="type" checked={type === 'O'} onChange={() => setType('O')} /> Anyone in the team
          </label>
          <label className="inline">
            <input type="radio" name="type" checked={type === 'P'} onChange={() => setType('P')} /> Only people added (private)
          </label>
        </fieldset>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="primary">
          Create
        </button>
      </form>
    </Modal>
  );
}

/** The team's open channels the user is not in yet, to join. */
export function BrowseChannelsDialog({ onClose }: { onClose: () => void }) {
  const teamId = useChat((s) => s.teamId);
  const mine = useChat((s) => s.channels);
  const [channels, setChannels] = useState<Channel[] | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    if (teamId) void chat.api.openChannels(teamId).then(setChannels, (err: unknown) => setError(errorText(err)));
  }, [teamId]);
  const joinable = (channels ?? []).filter((c) => !mine[c.id]);
  async function join(channel: Channel) {
    try {
      await chat.joinChannel(channel);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Modal title="Browse channels" onClose={onClose}>
      {!channels && !error && <p role="status">Loading…</p>}
      {channels && joinable.length === 0 && <p>You are in every open channel of this team.</p>}
      <ul className="pick-list">
        {joinable.map((c) => (
          <li key={c.id}>
            <button type="button" onClick={() => void join(c)}>
              Join # {c.display_name}
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="form-error" role="alert">{error}</p>}
    </Modal>
  );
}

/** Pick someone of the team to write to directly. */
export function DirectMessageDialog({ onClose }: { onClose: () => void }) {
  const teamId = useChat((s) => s.teamId);
  const me = useChat((s) => s.me);
  const statuses = useChat((s) => s.statuses);
  const [people, setPeople] = useState<User[] | undefined>();
  const [filter, setFilter] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (!teamId) return;
    void chat.api.teamUsers(teamId).then(
      (users) => {
        setPeople(users.filter((u) => u.id !== me?.id));
        void chat.refreshStatuses(users.map((u) => u.id));
      },
      (err: unknown) => setError(errorText(err)),
    );
  }, [teamId, me?.id]);
  const shown = (people ?? []).filter((u) => `${u.username} ${displayName(u)}`.toLowerCase().includes(filter.toLowerCase()));
  async function open(user: User) {
    try {
      await chat.openDirect(user.id);
      onClose();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Modal title="Write to someone" onClose={onClose}>
      <label>
        Find a person
        <input value={filter} onChange={(e) => setFilter(e.target.value)} autoFocus />
      </label>
      {!people && !error && <p role="status">Loading…</p>}
      <ul className="pick-list">
        {shown.map((u) => (
          <li key={u.id}>
            <button type="button" onClick={() => void open(u)}>
              <PresenceDot status={statuses[u.id]} /> {displayName(u)} <span className="muted">@{u.username}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="form-error" role="alert">{error}</p>}
    </Modal>
  );
}
