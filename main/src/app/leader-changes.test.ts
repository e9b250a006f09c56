import type { ObserverUpdate } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { fakeSnapshot } from '../ipc/fake-services.js';
import { leaderChangeDetector } from './leader-changes.js';

const delta = (at: number, changes: Record<string, unknown>): ObserverUpdate => ({ type: 'delta', at, changes, events: [], eventsDropped: 0 }) as ObserverUpdate;
const leader = (nodeId: string, epoch: number) => ({ nodeId, epoch, since: 1 });

describe('leaderChangeDetector', () => {
  it('takes the first snapshot as the baseline, then reports each change of node or epoch once', () => {
    const changes: unknown[] = [];
    const feed = leaderChangeDetector((change) => changes.push(change));
    feed({ type: 'snapshot', snapshot: fakeSnapshot(10) });
    feed(delta(20, { nodes: [] }));
    feed(delta(30, { leader: leader('n1', 3) }));
    feed(delta(40, { leader: null }));
    feed(delta(50, { leader: leader('n2', 4) }));
    feed(delta(60, { leader: leader('n2', 5) }));
    feed({ type: 'snapshot', snapshot: { ...fakeSnapshot(70), leader: leader('n2', 5) } });
    expect(changes).toEqual([
      { at: 40, previous: { nodeId: 'n1', epoch: 3 }, current: null },
      { at: 50, previous: null, current: { nodeId: 'n2', epoch: 4 } },
      { at: 60, previous: { nodeId: 'n2', epoch: 4 }, current: { nodeId: 'n2', epoch: 5 } },
    ]);
  });
});
