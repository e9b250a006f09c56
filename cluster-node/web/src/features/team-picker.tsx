import type { Team } from '@switchboard/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { errorText } from '../api/chat-api.js';
import { Modal } from '../components/modal.js';
import { chat } from '../state/chat-controller.js';
import { useChat } from '../state/store.js';

/** Create a team, or join an open one the user is not in. */
function TeamChoices({ onDone }: { onDone?: () => void }) {
  const mine = useChat((s) => s.teams);
  const [open, setOpen] = useState<Team[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    void chat.api.teams().then(setOpen, () => setOpen([]));
  }, []);
  const joinable = open.filter((t) => !mine.some((m) => m.id === t.id));
  async function run(action: () => Promise<void>) {
    try {
      await action();
      onDone?.();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <div className="stack">
      {joinable.length > 0 && (
        <section aria-labelledby="join-team">
          <h3 id="join-team">Join a team</h3>
          <ul className="pick-list">
            {joinable.map((t) => (
              <li key={t.id}>
                <button type="button" onClick={() => void run(() => chat.joinTeam(t.id))}>
                  Join {t.display_name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form
        className="stack"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(() => chat.createTeam(name.trim()));
        }}
      >
        <label>
          New team name
          <input name="team-name" required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Create team
        </button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  );
}

/** Shown in place of a channel while the user is in no team. */
export function TeamPicker() {
  return (
    <main className="pane team-picker">
      <h1>Welcome to Switchboard</h1>
      <p>You are not in a team yet.</p>
      <TeamChoices />
    </main>
  );
}

/** The same choices from the sidebar's team button. */
export function TeamDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Teams" onClose={onClose}>
      <TeamChoices onDone={onClose} />
    </Modal>
  );
}
