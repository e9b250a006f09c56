import { useSnapshot } from '../api/queries/cluster.js';
import { useProfiles } from '../api/queries/profiles.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useConnectionStore } from '../stores/connection-store.js';
import { useUiStore, type ThemeChoice } from '../stores/ui-store.js';

const CONNECTION_LABEL = { connecting: 'connecting', open: 'live', lost: 'reconnecting', closed: 'disconnected' } as const;
const CONNECTION_TONE = { connecting: 'muted', open: 'ok', lost: 'warn', closed: 'bad' } as const;

/** The bar over everything: which cluster and profile, whether the link is live, the theme. */
export function TopBar() {
  const { data: cluster } = useSnapshot((snapshot) => snapshot.cluster);
  const { data: profiles } = useProfiles();
  const status = useConnectionStore((state) => state.status);
  const theme = useUiStore((state) => state.theme);
  const setTheme = useUiStore((state) => state.setTheme);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>Switchboard</h1>
      </div>
      <div className="topbar-context">
        <span>
          Cluster <strong>{cluster ?? '…'}</strong>
        </span>
        <span>
          Profile <strong>{profiles?.selected ?? '…'}</strong>
        </span>
        <StatusBadge tone={CONNECTION_TONE[status]} title="Link to the console">
          {CONNECTION_LABEL[status]}
        </StatusBadge>
      </div>
      <label className="theme-select">
        Theme
        <select value={theme} onChange={(event) => setTheme(event.target.value as ThemeChoice)}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
    </header>
  );
}
