/** The cluster observer: Redis-side view of a cluster, live updates and the end-to-end probe. */
export { ClusterObserver, OBSERVER_HISTORY_COUNT, OBSERVER_POLL_MS, type ClusterObserverDeps, type ObserverProbeOptions } from './observer.js';
export { openRedis, redisTargetFromProfile, type RedisTarget } from './redis-target.js';
export { ensureProbeFixtures, type ProbeCredentials, type ProbeFixtures } from './probe-fixtures.js';
export { ProbeRunner, type ProbeOptions, type ProbeTarget } from './probe.js';
export type { LookupUsers } from './presence-users.js';
