import { useShallow } from 'zustand/react/shallow';
import { useChat } from '../state/store.js';

/**
 * The calm banner while the socket is away: says what happens (reconnecting by itself) and that
 * nothing is lost; gone once the socket is back. Announced politely to screen readers.
 */
export function ConnectionBanner() {
  const phase = useChat((s) => s.connection.phase);
  return (
    <div className="banner-slot" role="status" aria-live="polite">
      {phase === 'reconnecting' && (
        <p className="banner" data-testid="reconnecting-banner">
          <span className="spinner" aria-hidden="true" /> Connection lost. Reconnecting… Messages you send are kept and will arrive.
        </p>
      )}
    </div>
  );
}

/** The node holding the socket, shown discreetly, with the connection state. */
export function NodeIndicator() {
  const { phase, nodeId, resumed, backfills } = useChat(useShallow((s) => ({ phase: s.connection.phase, nodeId: s.connection.nodeId, resumed: s.connection.resumed, backfills: s.connection.backfills })));
  const text = phase === 'online' ? 'connected' : phase === 'reconnecting' ? 'reconnecting' : 'connecting';
  const title = `The chat server node your connection is on. Reconnections: ${resumed} resumed where they left off, ${backfills} caught up by fetching.`;
  return (
    <p className="node-indicator" title={title} data-testid="node-indicator" data-resumed={resumed} data-backfills={backfills}>
      <span className={`conn conn-${phase}`} aria-hidden="true" /> {text}
      {nodeId && (
        <>
          {' · node '}
          <span data-testid="node-id">{nodeId}</span>
        </>
      )}
    </p>
  );
}
