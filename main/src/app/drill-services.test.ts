import { MAX_REPLAYED_DRILL_EVENTS, type ClusterProfile, type DrillEvent, type DrillProgress, type DrillReport } from '@switchboard/shared';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DrillService } from '../core/drills/index.js';
import { validateScenarioText } from '../core/drills/index.js';
import { createDrillServices } from './drill-services.js';

/** The adapter's own logic over a stand-in engine: numbering, the replay cap, halt, start by text, verdict timing. */

const PROFILE = { name: 'watched' } as ClusterProfile;

function engine() {
  let listener: ((event: DrillEvent) => void) | undefined;
  let active: string | null = null;
  let finish: () => void = () => {};
  const calls: string[] = [];
  const stub = {
    onEvent: (l: (event: DrillEvent) => void) => ((listener = l), { dispose: () => (listener = undefined) }),
    current: () => (active === null ? null : { runId: active }),
    validate: (text: string) => validateScenarioText(text),
    start: async (scenario: unknown, profile: ClusterProfile) => {
      calls.push(`start ${typeof scenario === 'string' ? scenario : (scenario as { name: string }).name} on ${profile.name}`);
      active = 'r1';
      return { runId: 'r1' };
    },
    halt: async (runId: string) => (calls.push(`halt ${runId}`), {} as DrillReport),
    finished: () => new Promise<DrillReport>((resolve) => (finish = () => ((active = null), resolve({} as DrillReport)))),
  };
  return { drills: stub as unknown as DrillService, emit: (event: DrillEvent) => listener?.(event), calls, setActive: (id: string | null) => (active = id), finish: () => finish(), listening: () => listener !== undefined };
}

const phase = (runId: string, at: number): DrillEvent => ({ type: 'phase', runId, at, phase: 'steps' });
const sample = (runId: string, at: number): DrillEvent => ({
  type: 'sample', runId,
  sample: { at, latencyP50Ms: 1, latencyP99Ms: 2, latencyMaxMs: 3, postsPerSecond: 1, deliveriesPerSecond: 2, errorsPerSecond: 0, nodesActive: 3, nodesDraining: 0, nodesDown: 0, leader: 'n1', clientsConnected: 3, nodes: {} },
});
const verdict = (runId: string): DrillEvent => ({ type: 'verdict', runId, at: 9, verdict: 'Pass', reason: 'ok', lost: 0, unexpected: 0, recovered: 0, reordered: 0, thresholds: [] });

describe('drill services', () => {
  it('numbers events per run from 0 and replays them with drills.current', async () => {
    const fake = engine();
    const set = createDrillServices({ drills: fake.drills, profile: () => PROFILE, log: pino({ level: 'silent' }) });
    const heard: DrillProgress[] = [];
    set.services.onDidProgress((p) => heard.push(p));
    fake.setActive('r1');
    fake.emit(phase('r1', 1));
    fake.emit(phase('r1', 2));
    fake.emit(phase('r2', 3));
    expect(heard.map((p) => `${p.runId}:${p.seq}`)).toEqual(['r1:0', 'r1:1', 'r2:0']);
    expect(await set.services.current()).toEqual({ run: { runId: 'r2', running: false, events: [heard[2]] } });
    set.close();
    expect(fake.listening()).toBe(false);
  });

  it('keeps at most the cap of events for the replay, dropping the oldest samples first', async () => {
    const fake = engine();
    const set = createDrillServices({ drills: fake.drills, profile: () => PROFILE, log: pino({ level: 'silent' }) });
    fake.emit(phase('r1', 0));
    for (let i = 0; i < MAX_REPLAYED_DRILL_EVENTS + 5; i += 1) fake.emit(sample('r1', i));
    fake.emit(phase('r1', 1));
    const { run } = await set.services.current();
    expect(run!.events).toHaveLength(MAX_REPLAYED_DRILL_EVENTS);
    expect(run!.events[0]!.event.type).toBe('phase');
    expect(run!.events[1]!.seq).toBe(8); // samples 1-7 went to make room
    expect(run!.events.at(-1)!.seq).toBe(MAX_REPLAYED_DRILL_EVENTS + 6);
  });

  it('starts by name or validated text against the watched profile; refuses bad text before the engine', async () => {
    const fake = engine();
    const set = createDrillServices({ drills: fake.drills, profile: () => PROFILE, log: pino({ level: 'silent' }) });
    await set.services.start({ scenario: 'kill-leader' });
    await set.services.start({ text: 'name: mine\nsteps: [{ action: wait, ms: 10 }]\n' });
    await expect(set.services.start({ text: 'name: mine\nsteps: []\n' })).rejects.toMatchObject({ id: 'drill.invalid_scenario', detail: expect.stringContaining('steps') });
    expect(fake.calls).toEqual(['start kill-leader on watched', 'start mine on watched']);
  });

  it('halts only the run in progress, at once; the verdict goes out once the engine has finished', async () => {
    const fake = engine();
    const set = createDrillServices({ drills: fake.drills, profile: () => PROFILE, log: pino({ level: 'silent' }) });
    const heard: string[] = [];
    set.services.onDidProgress((p) => heard.push(p.event.type));
    expect(await set.services.halt('r1')).toEqual({ runId: 'r1', halted: false });
    fake.setActive('r1');
    fake.emit(phase('r1', 1));
    expect(await set.services.halt('r1')).toEqual({ runId: 'r1', halted: true });
    expect(fake.calls).toEqual(['halt r1']);
    fake.emit(verdict('r1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual(['phase']);
    expect(await set.services.halt('r1')).toEqual({ runId: 'r1', halted: false });
    fake.finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual(['phase', 'verdict']);
    expect((await set.services.current()).run).toMatchObject({ runId: 'r1', running: false });
  });
});
