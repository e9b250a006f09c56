import { clusterProfileSchema, drillScenarioSchema, stepTargetSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { missingControls } from './preflight.js';
import { validateScenarioText } from './scenario-text.js';
import { pickTargets } from './targets.js';

const pool = { active: ['n1', 'n2', 'n3', 'n4'], leader: 'n2' };
const target = (input: unknown) => stepTargetSchema.parse(input);

describe('pickTargets', () => {
  it('picks by role and blast radius', () => {
    expect(pickTargets(target({ among: 'leader' }), pool)).toEqual(['n2']);
    expect(pickTargets(target({ among: 'followers', radius: 'all' }), pool)).toEqual(['n1', 'n3', 'n4']);
    expect(pickTargets(target({ radius: { count: 2 }, pick: 'first' }), pool)).toEqual(['n1', 'n2']);
    expect(pickTargets(target({ radius: { percent: 50 } }), pool)).toHaveLength(2);
    expect(pickTargets(target({ nodes: ['n3', 'n9'], radius: 'all' }), pool)).toEqual(['n3']);
    expect(pickTargets(target({ among: 'leader' }), { active: ['n1'], leader: null })).toEqual([]);
  });

  it('picks at random with the given source', () => {
    expect(pickTargets(target({ among: 'followers' }), pool, () => 0)).toEqual(['n3']);
    expect(pickTargets(target({ among: 'followers' }), pool, () => 0.99)).toEqual(['n1']);
  });
});

describe('missingControls', () => {
  const profile = clusterProfileSchema.parse({ name: 'p', cluster: 'c', redis: { url: 'redis://r' }, postgres: { url: 'postgres://p' }, apiUrl: 'http://lb', hosts: [{ name: 'h', local: true, nodes: ['n1'] }] });

  it('names the setting each step lacks, before anything runs', () => {
    const restartRedis = BUILTIN_SCENARIOS.find((s) => s.name === 'restart-redis')!;
    expect(missingControls(restartRedis, profile)).toEqual(['services.redis (host, and restart or stop and start): needed by step 1 (restart-redis)']);
    const failover = BUILTIN_SCENARIOS.find((s) => s.name === 'redis-sentinel-failover')!;
    expect(missingControls(failover, profile)[0]).toContain('redis.sentinels');
    const killLeader = BUILTIN_SCENARIOS.find((s) => s.name === 'kill-leader')!;
    expect(missingControls(killLeader, profile)).toEqual([]);
    const { apiUrl: _apiUrl, ...noBalancer } = profile;
    expect(missingControls(killLeader, noBalancer)).toEqual(['apiUrl (the balancer the probe clients fail over to): needed by the probes']);
  });

  it('accepts a profile whose services name one of its hosts, and refuses one naming another', () => {
    const withServices = { ...profile, services: { redis: { host: 'h', restart: ['systemctl', 'restart', 'redis-server'] } } };
    expect(missingControls(BUILTIN_SCENARIOS.find((s) => s.name === 'restart-redis')!, clusterProfileSchema.parse(withServices))).toEqual([]);
    const wrongHost = clusterProfileSchema.safeParse({ ...withServices, services: { redis: { host: 'elsewhere', restart: ['x'] } } });
    expect(wrongHost.success).toBe(false);
    const noCommand = clusterProfileSchema.safeParse({ ...withServices, services: { postgres: { host: 'h', stop: ['x'] } } });
    expect(noCommand.error?.issues[0]?.path).toEqual(['services', 'postgres', 'restart']);
  });
});

describe('validateScenarioText', () => {
  it('reads YAML and JSON', () => {
    expect(validateScenarioText('name: mine\nsteps:\n  - action: kill-leader\n').ok).toBe(true);
    expect(validateScenarioText('{"name": "mine", "steps": [{"action": "wait", "ms": 10}]}').ok).toBe(true);
  });

  it('names the line of a syntax error and the path of a wrong field', () => {
    const syntax = validateScenarioText('name: [unclosed\n');
    expect(syntax).toMatchObject({ ok: false, issues: [{ path: '(syntax)', message: expect.stringContaining('line') }] });
    const field = validateScenarioText('name: mine\nsteps:\n  - action: wait\n    ms: -5\n');
    expect(field).toMatchObject({ ok: false, issues: [{ path: 'steps.0.ms' }] });
    expect(validateScenarioText('')).toMatchObject({ ok: false });
    expect(validateScenarioText('- a list\n')).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining('mapping') }] });
  });

  it('keeps every built-in valid', () => {
    for (const scenario of BUILTIN_SCENARIOS) expect(drillScenarioSchema.safeParse(scenario).success).toBe(true);
    expect(BUILTIN_SCENARIOS.map((s) => s.name)).toEqual(['kill-leader', 'kill-random-node', 'drain-node', 'rolling-restart', 'restart-redis', 'redis-sentinel-failover', 'restart-postgres']);
  });
});
