import { useEffect, useState } from 'react';
import { AuthView } from './features/auth-view.js';
import { ChatView } from './features/chat-view.js';
import { chat } from './state/chat-controller.js';
import { useChat } from './state/store.js';

/** The web chat client: resumes a saved session, or asks to log in or sign up. */
export function App() {
  const me = useChat((s) => s.me);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    void chat.resume().finally(() => setChecked(true));
  }, []);

  if (!checked) return <p className="splash" role="status">Loading…</p>;
  return me ? <ChatView /> : <AuthView />;
}
