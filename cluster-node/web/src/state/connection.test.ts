import { describe, expect, it } from 'vitest';
import { BACKFILL_MARGIN_MS, initialConnection, reduceConnection, type ConnectionEvent, type ConnectionState } from './connection.js';

function run(events: ConnectionEvent[], start: ConnectionState = initialConnection()) {
  let state = start;
  const effects = [];
  for (const event of events) {
    const result = reduceConnection(state, event);
    state = result.state;
    effects.push(result.effect);
  }
  return { state, effects: effects.filter((effect) => effect.type !== 'none') };
}

describe('socket phases, resume and backfill', () => {
  it('goes online with the first hello and knows its node; nothing to backfill', () => {
    const { state, effects } = run([{ type: 'opened', at: 1_000, reconnect: false }, { type: 'hello', at: 1_001, connectionId: 'c1', nodeId: 'n1' }]);
    expect(state.phase).toBe('online');
    expect(state.nodeId).toBe('n1');
    expect(effects).toEqual([]);
  });

  it('shows reconnecting after a loss, and a resume (no hello) needs no backfill', () => {
    let { state } = run([{ type: 'opened', at: 1_000, reconnect: false }, { type: 'hello', at: 1_000, connectionId: 'c1', nodeId: 'n1' }, { type: 'frame', at: 5_000 }]);
    ({ state } = run([{ type: 'closed', at: 6_000 }], state));
    expect(state.phase).toBe('reconnecting');
    expect(state.lostAt).toBe(6_000);
    const resumed = run([{ type: 'opened', at: 8_000, reconnect: true }, { type: 'node', nodeId: 'n2' }, { type: 'frame', at: 8_100 }], state);
    expect(resumed.state.phase).toBe('online');
    expect(resumed.state.connectionId).toBe('c1');
    expect(resumed.state.nodeId).toBe('n2');
    expect(resumed.state.resumed).toBe(1);
    expect(resumed.effects).toEqual([]);
  });

  it('backfills from the last frame before the loss (less the margin) when the server gives a new connection_id', () => {
    let { state } = run([{ type: 'opened', at: 1_000, reconnect: false }, { type: 'hello', at: 1_000, connectionId: 'c1', nodeId: 'n1' }, { type: 'frame', at: 100_000 }]);
    ({ state } = run([{ type: 'closed', at: 101_000 }, { type: 'closed', at: 102_000 }], state));
    const fresh = run([{ type: 'opened', at: 130_000, reconnect: true }, { type: 'hello', at: 130_001, connectionId: 'c2', nodeId: 'n3' }], state);
    expect(fresh.effects).toEqual([{ type: 'backfill', since: 100_000 - BACKFILL_MARGIN_MS }]);
    expect(fresh.state.connectionId).toBe('c2');
    expect(fresh.state.backfills).toBe(1);
    expect(fresh.state.resumed).toBe(0);
    expect(fresh.state.lostAt).toBe(0);
  });

  it('ignores frames while not online and a repeated close', () => {
    const { state } = run([{ type: 'opened', at: 1, reconnect: false }, { type: 'hello', at: 2, connectionId: 'c1', nodeId: 'n1' }, { type: 'closed', at: 10 }, { type: 'frame', at: 20 }]);
    expect(state.lastAliveAt).toBe(2);
    expect(reduceConnection(state, { type: 'closed', at: 30 }).state).toBe(state);
  });
});
