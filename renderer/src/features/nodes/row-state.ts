import type { Tone } from '../../components/StatusBadge.js';
import type { RowState } from './node-rows.js';

/** The badge tone of each node state. */
export const STATE_TONE: Record<RowState, Tone> = {
  active: 'ok',
  starting: 'info',
  draining: 'warn',
  stale: 'warn',
  drained: 'muted',
  stopped: 'muted',
  gone: 'bad',
  unreachable: 'bad',
};

/** What each state means, for tooltips and the legend. */
export const STATE_MEANING: Record<RowState, string> = {
  active: 'Serving and heartbeating',
  starting: 'Process running, not yet in the registry',
  draining: 'Closing its connections before it stops',
  stale: 'Heartbeat late: may be dying or cut off from Redis',
  drained: 'Stopped after a drain',
  stopped: 'Not running',
  gone: 'Was in the cluster and disappeared (killed or died)',
  unreachable: 'Its host could not be asked',
};
