import { useState, type KeyboardEvent } from 'react';
import { chat } from '../state/chat-controller.js';

/** The maximum message length the server accepts (Mattermost's). */
const MAX_MESSAGE = 16_383;

/**
 * Writes a message: Enter sends, Shift+Enter starts a new line, Up in an empty box edits one's
 * last message. Sending is optimistic: the message shows at once and is retried until it arrives.
 */
export function Composer({ channelId, label, onEditLast }: { channelId: string; label: string; onEditLast: () => void }) {
  const [text, setText] = useState('');
  const send = () => {
    const message = text.trim();
    if (!message) return;
    setText('');
    void chat.send(channelId, message);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && text === '') {
      event.preventDefault();
      onEditLast();
    }
  };
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label className="sr-only" htmlFor="composer-input">
        {label}
      </label>
      <textarea
        id="composer-input"
        rows={2}
        maxLength={MAX_MESSAGE}
        placeholder={`${label} (Enter to send, Shift+Enter for a new line)`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) chat.typing(channelId);
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}
