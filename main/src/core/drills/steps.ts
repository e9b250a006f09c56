import { SwitchboardError, type ClusterProfile, type DrillStep, type ServiceControl } from '@switchboard/shared';
import { Redis } from 'ioredis';
import type { HostService } from '../hosts/host-service.js';
import type { NodeAction } from '../hosts/nodectl-client.js';
import type { ClusterWatch } from './cluster-watch.js';
import { describeTarget, pickTargets } from './targets.js';

/** How long a started node may take to show up active in the registry, ms. @default 30000 */
export const NODE_ACTIVE_TIMEOUT_MS = 30_000;

/** What a step works with. */
export interface StepContext {
  profile: ClusterProfile;
  hosts: HostService;
  watch: ClusterWatch;
  /** Node id -> the profile host that runs it (from `nodectl list`). */
  nodeHosts: ReadonlyMap<string, string>;
  /** Nodes the drill stopped (killed or drained, from the moment the command is sent) and has not started again. */
  stopped: Set<string>;
  /** Of those, the ones whose stop the host confirmed (the process is gone): a lease they hold is dead. */
  dead: Set<string>;
  /** Services the drill stopped and has not started again. */
  stoppedServices: Set<'redis' | 'postgres'>;
  signal: AbortSignal;
  /** Whether the steady-state hypothesis holds right now (and every probe client is connected). */
  steady: () => boolean;
  mark: (kind: 'step-sent', detail: string, node?: string) => void;
  /** The Sentinel password, if the profile names one. */
  redisPassword?: string;
  random?: () => number;
}

/** A step in words, for progress lines and the timeline. */
export function describeStep(step: DrillStep): string {
  switch (step.action) {
    case 'kill-leader':
      return 'kill the leader';
    case 'kill-nodes':
      return `kill ${describeTarget(step.target)}`;
    case 'drain-nodes':
      return `drain ${describeTarget(step.target)}`;
    case 'restart-nodes':
      return `restart ${describeTarget(step.target)}`;
    case 'start-stopped':
      return 'start the nodes the drill stopped';
    case 'rolling-restart':
      return `rolling restart of ${describeTarget(step.target)}`;
    case 'wait':
      return `wait ${step.ms} ms`;
    case 'settle':
      return `settle: the hypothesis holds for ${step.holdMs} ms (up to ${step.timeoutMs} ms)`;
    case 'restart-redis':
      return 'restart Redis';
    case 'redis-failover':
      return 'Redis primary failover under Sentinel';
    case 'restart-postgres':
      return 'restart Postgres';
  }
}

/** Sleeps `ms`, or less when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SwitchboardError('drill.failed', { message: 'The drill was aborted.', detail: String(signal.reason ?? 'aborted') });
}

/** Waits until `ready()` or `timeoutMs`; throws `drill.failed` with `what` past it. */
async function until(ready: () => boolean | Promise<boolean>, timeoutMs: number, what: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    checkAborted(signal);
    if (Date.now() > deadline) throw new SwitchboardError('drill.failed', { message: `Timed out after ${timeoutMs} ms waiting for ${what}.` });
    await pause(200, signal);
  }
}

function hostOf(context: StepContext, nodeId: string): string {
  const host = context.nodeHosts.get(nodeId);
  if (!host) throw new SwitchboardError('drill.failed', { message: `No profile host runs node ${nodeId}.` });
  return host;
}

async function act(context: StepContext, nodeId: string, action: NodeAction): Promise<void> {
  const host = hostOf(context, nodeId);
  context.mark('step-sent', `${action} ${nodeId}`, nodeId);
  // Counted as stopped from the moment the command is sent: its lease and registry entry outlive it.
  const stops = action === 'kill' || action === 'drain';
  if (stops) context.stopped.add(nodeId);
  try {
    await context.hosts.action(host, nodeId, action);
  } catch (err) {
    if (stops) context.stopped.delete(nodeId);
    throw err;
  }
  // nodectl answers once the process is gone: from now on a lease it holds is a dead one.
  if (stops) {
    context.dead.add(nodeId);
    if (context.watch.leader === nodeId) context.watch.leaderKilled(Date.now());
  }
}

/** Starts a node and waits until the registry has it active. */
export async function startNode(context: Pick<StepContext, 'hosts' | 'watch' | 'nodeHosts' | 'stopped' | 'dead' | 'signal'>, nodeId: string): Promise<void> {
  const host = context.nodeHosts.get(nodeId);
  if (!host) throw new SwitchboardError('drill.failed', { message: `No profile host runs node ${nodeId}.` });
  await context.hosts.action(host, nodeId, 'start');
  context.stopped.delete(nodeId);
  context.dead.delete(nodeId);
  await until(async () => (await context.watch.poll(), context.watch.health().get(nodeId) === 'active'), NODE_ACTIVE_TIMEOUT_MS, `${nodeId} to be active`, context.signal);
}

/** Active nodes a host controls: what a step may pick from. */
function pool(context: StepContext): { active: string[]; leader: string | null } {
  return { active: context.watch.active().filter((id) => context.nodeHosts.has(id) && !context.stopped.has(id)), leader: context.watch.leader };
}

function targets(context: StepContext, step: Extract<DrillStep, { target: unknown }>): string[] {
  const picked = pickTargets(step.target, pool(context), context.random);
  if (picked.length === 0) throw new SwitchboardError('drill.failed', { message: `No node matches the target (${describeTarget(step.target)}).` });
  return picked;
}

/** Runs a service's restart (or stop, then start) through its host. */
async function restartService(context: StepContext, service: 'redis' | 'postgres'): Promise<void> {
  const control: ServiceControl | undefined = context.profile.services?.[service];
  if (!control) throw new SwitchboardError('drill.missing_control', { detail: `services.${service}` });
  const run = (argv: string[], verb: string) => context.hosts.runCommand(control.host, argv, { action: `${verb}-${service}`, timeoutMs: control.timeoutMs });
  if (control.restart) {
    context.mark('step-sent', `restart ${service} on ${control.host}`);
    context.stoppedServices.add(service);
    await run(control.restart, 'restart');
    context.stoppedServices.delete(service);
    return;
  }
  context.mark('step-sent', `stop ${service} on ${control.host}`);
  context.stoppedServices.add(service);
  await run(control.stop!, 'stop');
  context.mark('step-sent', `start ${service} on ${control.host}`);
  await run(control.start!, 'start');
  context.stoppedServices.delete(service);
}

/** Starts a stopped service again (restore). */
export async function startService(profile: ClusterProfile, hosts: HostService, service: 'redis' | 'postgres'): Promise<void> {
  const control = profile.services?.[service];
  if (!control) return;
  await hosts.runCommand(control.host, control.start ?? control.restart!, { action: `start-${service}`, timeoutMs: control.timeoutMs });
}

/** SENTINEL FAILOVER on the first Sentinel that answers, then waits for another primary. */
async function sentinelFailover(context: StepContext, timeoutMs: number): Promise<string> {
  const redis = context.profile.redis;
  if (!('sentinels' in redis)) throw new SwitchboardError('drill.missing_control', { detail: 'redis.sentinels' });
  const errors: string[] = [];
  for (const sentinel of redis.sentinels) {
    const client = new Redis({ host: sentinel.host, port: sentinel.port, lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null, ...(context.redisPassword ? { password: context.redisPassword } : {}) });
    client.on('error', () => {});
    try {
      await client.connect();
      const before = ((await client.call('SENTINEL', 'get-master-addr-by-name', redis.masterName)) as string[] | null)?.join(':');
      if (!before) throw new Error(`sentinel knows no master ${redis.masterName}`);
      context.mark('step-sent', `SENTINEL FAILOVER ${redis.masterName} (primary ${before}) via ${sentinel.host}:${sentinel.port}`);
      await client.call('SENTINEL', 'failover', redis.masterName);
      let after = before;
      await until(
        async () => {
          after = ((await client.call('SENTINEL', 'get-master-addr-by-name', redis.masterName).catch(() => null)) as string[] | null)?.join(':') ?? before;
          return after !== before;
        },
        timeoutMs,
        `a new Redis primary (was ${before})`,
        context.signal,
      );
      return `primary moved from ${before} to ${after}`;
    } catch (err) {
      if (err instanceof SwitchboardError) throw err;
      errors.push(`${sentinel.host}:${sentinel.port}: ${(err as Error).message}`);
    } finally {
      client.disconnect();
    }
  }
  throw new SwitchboardError('drill.failed', { message: 'No Sentinel could fail the primary over.', detail: errors.join('; ') });
}

/**
 * Runs one step; resolves with the nodes it acted on and a detail line, throws when it failed.
 * An abort ends waits at once; a command already sent to a host finishes first.
 */
export async function runStep(step: DrillStep, context: StepContext): Promise<{ targets: string[]; detail: string }> {
  checkAborted(context.signal);
  switch (step.action) {
    case 'kill-leader': {
      await context.watch.poll();
      const leader = context.watch.leader;
      if (!leader) throw new SwitchboardError('drill.failed', { message: 'There is no live leader to kill.' });
      await act(context, leader, 'kill');
      return { targets: [leader], detail: `killed leader ${leader}` };
    }
    case 'kill-nodes':
    case 'drain-nodes': {
      const picked = targets(context, step);
      const action = step.action === 'kill-nodes' ? 'kill' : 'drain';
      await Promise.all(picked.map((id) => act(context, id, action)));
      return { targets: picked, detail: `${action === 'kill' ? 'killed' : 'drained'} ${picked.join(', ')}` };
    }
    case 'restart-nodes': {
      const picked = targets(context, step);
      await Promise.all(
        picked.map(async (id) => {
          await act(context, id, 'restart');
          await until(async () => (await context.watch.poll(), context.watch.health().get(id) === 'active'), NODE_ACTIVE_TIMEOUT_MS, `${id} to be active`, context.signal);
        }),
      );
      return { targets: picked, detail: `restarted ${picked.join(', ')}` };
    }
    case 'start-stopped': {
      const stopped = [...context.stopped].sort();
      for (const id of stopped) context.mark('step-sent', `start ${id}`, id);
      await Promise.all(stopped.map((id) => startNode(context, id)));
      return { targets: stopped, detail: stopped.length === 0 ? 'nothing to start' : `started ${stopped.join(', ')}` };
    }
    case 'rolling-restart': {
      const picked = targets(context, step);
      for (const id of picked) {
        checkAborted(context.signal);
        await act(context, id, 'drain');
        context.mark('step-sent', `start ${id}`, id);
        await startNode(context, id);
        await pause(step.settleMs, context.signal);
      }
      return { targets: picked, detail: `restarted ${picked.join(', ')} in turn` };
    }
    case 'wait':
      await pause(step.ms, context.signal);
      return { targets: [], detail: `waited ${step.ms} ms` };
    case 'settle': {
      // It must hold for holdMs without interruption: one good reading right after a fault proves little.
      let since: number | null = null;
      await until(
        () => {
          const now = Date.now();
          if (!context.steady()) since = null;
          else since ??= now;
          return since !== null && now - since >= step.holdMs;
        },
        step.timeoutMs,
        `the steady-state hypothesis to hold for ${step.holdMs} ms`,
        context.signal,
      );
      return { targets: [], detail: `the steady-state hypothesis held for ${step.holdMs} ms` };
    }
    case 'restart-redis':
    case 'restart-postgres': {
      const service = step.action === 'restart-redis' ? 'redis' : 'postgres';
      await restartService(context, service);
      return { targets: [], detail: `restarted ${service}` };
    }
    case 'redis-failover':
      return { targets: [], detail: await sentinelFailover(context, step.timeoutMs) };
  }
}
