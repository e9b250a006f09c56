import { useTheme } from './theme.js';

/**
 * What the page shows before the console answers: connecting, or why it could not connect
 * (most often a launch address used twice).
 */
export function BootScreen({ state, message }: { state: 'connecting' | 'failed'; message?: string }) {
  useTheme();
  return (
    <main className="boot">
      <h1>Switchboard Console</h1>
      {state === 'connecting' ? (
        <p role="status">Connecting to the console…</p>
      ) : (
        <div role="alert" className="state state-error">
          <strong>Cannot connect to the console</strong>
          <p>{message}</p>
        </div>
      )}
    </main>
  );
}
