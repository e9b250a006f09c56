import type { ObservedEvent } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { compareStreamIds, countKinds, filterNewestFirst, mergeEvents, NO_FILTER, ratesPerOrigin } from './events.js';

let seq = 0;
function event(overrides: Partial<ObservedEvent> = {}): ObservedEvent {
  seq += 1;
  return { streamId: `${1_000 + seq}-0`, id: `e${seq}`, kind: 'posted', origin: 'n1', originSeq: seq, ts: 1_000 + seq, channelId: 'ch1', teamId: 't', userId: 'u', data: { message: `hello ${seq}` }, verified: true, ...overrides };
}

describe('event stream', () => {
  it('compares stream ids numerically', () => {
    expect(compareStreamIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
  });

  it('merges without duplicates and keeps stream order', () => {
    const [a, b, c] = [event(), event(), event()];
    expect(mergeEvents([a!, c!], [b!, c!]).map((e) => e.id)).toEqual([a!.id, b!.id, c!.id]);
    const same = [a!];
    expect(mergeEvents(same, [a!])).toBe(same);
  });

  it('filters by kind, node, channel and pattern, newest first', () => {
    const events = [event(), event({ kind: 'typing' }), event({ origin: 'n2' }), event({ channelId: 'other', data: { message: 'needle' } })];
    expect(filterNewestFirst(events, NO_FILTER).map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());
    expect(filterNewestFirst(events, { ...NO_FILTER, kinds: ['typing'] })).toEqual([events[1]]);
    expect(filterNewestFirst(events, { ...NO_FILTER, node: 'n2' })).toEqual([events[2]]);
    expect(filterNewestFirst(events, { ...NO_FILTER, channel: 'other' })).toEqual([events[3]]);
    expect(filterNewestFirst(events, { ...NO_FILTER, pattern: 'NEEDLE' })).toEqual([events[3]]);
  });

  it('counts kinds and rates per origin', () => {
    const events = [event({ ts: 1_000 }), event({ ts: 9_000, kind: 'typing' }), event({ ts: 9_500, origin: 'n2' })];
    expect(countKinds({ posted: 1 }, events)).toEqual({ posted: 3, typing: 1 });
    expect(ratesPerOrigin(events, 10_000, 2_000)).toEqual({ n1: 0.5, n2: 0.5 });
  });
});
