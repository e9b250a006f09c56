import { drillScenarioSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { describeAbort, describeCheck, describeScenario, describeStep } from './blast-radius.js';

const now = { active: ['n1', 'n2', 'n3', 'n4'], leader: 'n2' };

describe('blast radius', () => {
  it('names the leader a kill-leader step will kill', () => {
    expect(describeStep({ action: 'kill-leader' }, 0, now)).toEqual({ index: 0, what: expect.stringContaining('(now n2)'), nodes: 1, candidates: ['n2'] });
  });

  it('counts the nodes a radius picks among its candidates', () => {
    const step = (radius: unknown, among = 'any') => drillScenarioSchema.parse({ name: 'x', steps: [{ action: 'kill-nodes', target: { among, radius } }] }).steps[0]!;
    expect(describeStep(step('one'), 0, now)).toMatchObject({ nodes: 1, candidates: ['n1', 'n2', 'n3', 'n4'] });
    expect(describeStep(step({ percent: 50 }), 0, now)).toMatchObject({ nodes: 2 });
    expect(describeStep(step({ count: 9 }), 0, now)).toMatchObject({ nodes: 4 });
    expect(describeStep(step('all', 'followers'), 0, now)).toMatchObject({ nodes: 3, candidates: ['n1', 'n3', 'n4'] });
    expect(describeStep(step('one'), 0, now).what).toBe('SIGKILL one node among the active nodes, picked at random.');
  });

  it('describes a whole scenario: steps, the most nodes one step touches, probes and abort conditions', () => {
    const scenario = drillScenarioSchema.parse({
      name: 'mine',
      steps: [{ action: 'drain-nodes', target: { among: 'followers', radius: { count: 2 } } }, { action: 'settle' }, { action: 'start-stopped' }],
      abort: { maxNodesDown: 1, timeLimitMs: 120_000 },
    });
    const described = describeScenario(scenario, now);
    expect(described.steps.map((step) => step.nodes)).toEqual([2, null, null]);
    expect(described.maxNodes).toBe(2);
    expect(described.probes).toContain('one probe client per node (4)');
    expect(describeAbort(scenario)).toEqual(['more than one node is down at once', 'it runs longer than 2 m 00 s']);
    expect(scenario.hypothesis.map(describeCheck)).toEqual(['exactly one leader (may fail for 10 s)', 'no acknowledged post lost']);
  });
});
