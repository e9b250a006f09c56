import { Dialog } from '../components/Dialog.js';
import { useUiStore } from '../stores/ui-store.js';
import { OTHER_SHORTCUTS, VIEWS } from './views.js';

/** The keyboard shortcuts, listed (opened with `?` or from the navigation). */
export function ShortcutHelp() {
  const open = useUiStore((state) => state.helpOpen);
  const setOpen = useUiStore((state) => state.setHelpOpen);
  const rows = [...VIEWS.map((spec) => ({ keys: spec.shortcut, what: `Open ${spec.label}` })), ...OTHER_SHORTCUTS];
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.keys}>
              <td>
                <kbd>{row.keys}</kbd>
              </td>
              <td>{row.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" onClick={() => setOpen(false)} autoFocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
