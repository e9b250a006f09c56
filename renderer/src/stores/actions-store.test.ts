import { beforeEach, describe, expect, it } from 'vitest';
import { nodeKey, useActionsStore } from './actions-store.js';

const node = { host: 'h1', id: 'n1', pid: null, running: false, listen: '127.0.0.1:1', state: 'stopped' as const };

describe('actions store', () => {
  beforeEach(() => useActionsStore.getState().reset());

  it('tracks an action from start to outcome, keeping the first start', () => {
    const store = useActionsStore.getState();
    store.begin('h1', 'n1', 'kill', 100);
    store.applyEvent({ actionId: 'a', at: 105, host: 'h1', nodeId: 'n1', action: 'kill', phase: 'started' });
    expect(useActionsStore.getState().byNode[nodeKey('h1', 'n1')]).toMatchObject({ phase: 'started', startedAt: 100 });
    store.succeed('h1', 'n1', 'kill', node, 900);
    expect(useActionsStore.getState().byNode['h1/n1']).toMatchObject({ phase: 'succeeded', startedAt: 100, finishedAt: 900, node });
  });

  it('records failures from events started elsewhere', () => {
    const store = useActionsStore.getState();
    store.applyEvent({ actionId: 'b', at: 10, host: 'h1', nodeId: 'n2', action: 'drain', phase: 'started' });
    store.applyEvent({ actionId: 'b', at: 20, host: 'h1', nodeId: 'n2', action: 'drain', phase: 'failed', error: { id: 'hosts.conflict', message: 'Conflicting state.', detail: 'x' } });
    expect(useActionsStore.getState().byNode['h1/n2']).toMatchObject({ phase: 'failed', startedAt: 10, finishedAt: 20, error: { id: 'hosts.conflict' } });
  });
});
