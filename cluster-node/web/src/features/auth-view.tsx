import { useState, type FormEvent } from 'react';
import { errorText } from '../api/chat-api.js';
import { chat } from '../state/chat-controller.js';
import { useChat } from '../state/store.js';

/** Log in, or sign up (then log in): one form, two modes. */
export function AuthView() {
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const notice = useChat((s) => s.notice);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError('');
    useChat.setState({ notice: undefined });
    try {
      if (mode === 'login') await chat.login(username.trim(), password);
      else await chat.signUp(username.trim(), email.trim(), password);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const signup = mode === 'signup';
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={(e) => void submit(e)} aria-labelledby="auth-title">
        <h1 id="auth-title">{signup ? 'Create your account' : 'Log in to Switchboard'}</h1>
        {notice && (
          <p className="notice-inline" role="status">
            {notice}
          </p>
        )}
        <label>
          {signup ? 'Username' : 'Username or email'}
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        {signup && (
          <label>
            Email
            <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
        )}
        <label>
          Password
          <input name="password" type="password" autoComplete={signup ? 'new-password' : 'current-password'} required minLength={signup ? 8 : 1} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {signup ? 'Sign up' : 'Log in'}
        </button>
        <button type="button" className="link" onClick={() => (setMode(signup ? 'login' : 'signup'), setError(''))}>
          {signup ? 'I have an account: log in' : 'No account yet? Sign up'}
        </button>
      </form>
    </main>
  );
}
