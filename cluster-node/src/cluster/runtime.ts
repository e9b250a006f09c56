import { clusterKeys, nodeRedisTarget, type ClusterKeys, type NodeConfig } from '@switchboard/shared';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { RedisCheckpoints } from '../ws/remote-resume.js';
import type { RemoteResume } from '../ws/hub.js';
import { createBusMetrics } from './bus-metrics.js';
import { RedisClock } from './clock.js';
import { LatencyRecorder } from './latency.js';
import { createRedisClients, type RedisClients } from './redis-clients.js';
import { RedisEventBus } from './redis-bus.js';

/** Everything a clustered node runs over Redis, started and stopped as one. */
export interface ClusterRuntime {
  keys: ClusterKeys;
  redis: RedisClients;
  bus: RedisEventBus;
  /** This node's clock corrected to Redis TIME: envelope timestamps and latency use it. */
  clock: RedisClock;
  latency: LatencyRecorder;
  remoteResume: RemoteResume;
  /** `ok` while commands reach Redis, else `unreachable`. */
  redisStatus(): 'ok' | 'unreachable';
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the cluster side of a node from its config (requires redisUrl or redisSentinels, and clusterSecret). */
export function createClusterRuntime(deps: { config: Readonly<NodeConfig>; log: Logger; metrics: Metrics; nodeId: string }): ClusterRuntime {
  const { config, log, nodeId } = deps;
  const keys = clusterKeys(config.cluster);
  const target = nodeRedisTarget(config);
  if (!target) throw new Error('createClusterRuntime: the config names no Redis (redisUrl or redisSentinels)');
  const redis = createRedisClients(target, `switchboard-node:${nodeId}`);
  const clock = new RedisClock({ redis: redis.commands, log: log.child({ component: 'clock' }) });
  const latency = new LatencyRecorder({ redis: redis.commands, keys, nodeId, registry: deps.metrics.registry, log: log.child({ component: 'latency' }), clock: clock.now });
  const bus = new RedisEventBus({
    publisher: redis.commands,
    subscriber: redis.subscriber,
    keys,
    nodeId,
    secret: config.clusterSecret!,
    log: log.child({ component: 'bus' }),
    metrics: createBusMetrics(deps.metrics.registry),
    clock: clock.preciseNow,
  });
  // Every envelope that came through Redis (the node's own included) is timed origin -> here.
  bus.subscribe((_event, meta) => {
    if (meta.streamId) latency.record(meta.origin, meta.ts, clock.preciseNow());
  });
  return {
    keys,
    redis,
    bus,
    clock,
    latency,
    remoteResume: { checkpoints: new RedisCheckpoints(redis.commands, keys), source: bus },
    redisStatus: () => (redis.commands.status === 'ready' ? 'ok' : 'unreachable'),
    async start() {
      await Promise.all([
        redis.commands.connect().catch((err: unknown) => log.warn({ err }, 'redis not reachable at start; retrying in the background')),
        redis.subscriber.connect().catch(() => {}),
      ]);
      await clock.start().catch((err: unknown) => log.warn({ err }, 'clock offset unknown until redis answers'));
      await bus.start().catch((err: unknown) => log.warn({ err }, 'bus start incomplete; it resumes when redis answers'));
      latency.start();
    },
    async stop() {
      clock.stop();
      await latency.stop().catch(() => {});
      await bus.close();
      await redis.close();
    },
  };
}
