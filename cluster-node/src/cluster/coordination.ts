import { hostname } from 'node:os';
import type { NodeConfig } from '@switchboard/shared';
import type { StatusService } from '../app/statuses.js';
import { SERVER_VERSION } from '../http/app.js';
import type { Logger } from '../logging/logger.js';
import type { Db } from '../store/db.js';
import { deleteExpiredSessions } from '../store/sessions.store.js';
import { ClusterPresence } from './cluster-presence.js';
import { LeaderLease } from './leader-lease.js';
import { configHash, DEFAULT_REGISTRY_BEAT_MS, listNodes, Registry, REGISTRY_TTL_BEATS } from './registry.js';
import type { ClusterRuntime } from './runtime.js';

/**
 * How often the leader runs its singleton jobs (reaping presence of dead nodes).
 * @default 1000
 */
export const LEADER_JOBS_MS = 1_000;

/**
 * How often the leader deletes expired sessions (retention), a fenced write.
 * @default 60000
 */
export const RETENTION_MS = 60_000;

/**
 * How long after its own Redis connection came back the leader waits before reaping: an outage
 * or a failover may have let every registry entry expire (or lost it with the old primary's last
 * writes) while the nodes are alive and about to beat again. One registry TTL and a beat.
 * @default 4000
 */
export const REAP_GRACE_AFTER_RECONNECT_MS = (REGISTRY_TTL_BEATS + 1) * DEFAULT_REGISTRY_BEAT_MS;

/** Live figures the registry beats with. */
export interface NodeFigures {
  httpAddress: () => string;
  stats: () => { connections: number; usersOnline: number };
  schemaVersion: () => string;
}

/** Registry, leader lease, cluster presence and the leader's jobs, started and stopped together. */
export interface Coordination {
  lease: LeaderLease;
  registry: Registry;
  presence: ClusterPresence;
  /** After the node listens: first beat as active, compete for the lease, start leader jobs. */
  start(): Promise<void>;
  /** Drain: registry shows draining and the lease is given up at once. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the node's coordination over Redis. The leader reaps the presence of nodes whose
 * registry entry has expired and deletes expired sessions, both fenced by its epoch in Postgres
 * so a deposed leader cannot.
 */
export function createCoordination(deps: {
  config: Readonly<NodeConfig>;
  cluster: ClusterRuntime;
  statuses: StatusService;
  db: Db;
  log: Logger;
  nodeId: string;
  figures: NodeFigures;
}): Coordination {
  const { cluster, log, nodeId } = deps;
  const redis = cluster.redis.commands;
  const keys = cluster.keys;
  const startedAt = Date.now();
  const hash = configHash(deps.config);
  const presence = new ClusterPresence({ redis, keys, nodeId, statuses: deps.statuses, log: log.child({ component: 'presence' }) });
  const lease = new LeaderLease({ redis, keys, nodeId, ttlMs: deps.config.leaderTtlMs, log: log.child({ component: 'lease' }), db: deps.db, now: cluster.clock.now });
  const registry = new Registry({
    redis,
    keys,
    log: log.child({ component: 'registry' }),
    now: cluster.clock.now,
    entry: () => ({
      id: nodeId,
      host: hostname(),
      httpAddress: deps.figures.httpAddress(),
      pid: process.pid,
      version: SERVER_VERSION,
      schemaVersion: deps.figures.schemaVersion(),
      startedAt,
      configHash: hash,
      ...deps.figures.stats(),
    }),
  });
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  // The first connect counts as a reconnect too: the others may be reconnecting with us.
  let readyAt = Date.now();
  const onReady = () => {
    readyAt = Date.now();
  };
  redis.on('ready', onReady);

  async function reapDeadNodes(): Promise<void> {
    if (!lease.isLeader || running || Date.now() - readyAt < REAP_GRACE_AFTER_RECONNECT_MS) return;
    running = true;
    try {
      const live = new Set((await listNodes(redis, keys)).nodes.map((node) => node.id));
      const withPresence = await presenceNodeIds(redis, keys.presenceNodePattern, keys.presenceNode(''));
      for (const dead of withPresence.filter((id) => !live.has(id) && id !== nodeId)) {
        const offline = await lease.fenced('presence-reaper', async () => presence.reap(dead));
        log.info({ deadNode: dead, offline: offline.length }, 'reaped presence of a dead node');
      }
    } catch (err) {
      log.warn({ err }, 'leader job failed');
    } finally {
      running = false;
    }
  }

  let lastRetention = 0;
  async function retention(): Promise<void> {
    if (!lease.isLeader || Date.now() - lastRetention < RETENTION_MS) return;
    lastRetention = Date.now();
    try {
      const deleted = await lease.fenced('session-retention', (tx) => deleteExpiredSessions(tx, Date.now()));
      if (deleted > 0) log.info({ deleted }, 'expired sessions deleted');
    } catch (err) {
      log.warn({ err }, 'retention failed');
    }
  }

  lease.onChange((change) => log.info(change, change.isLeader ? 'became leader' : 'no longer leader'));
  return {
    lease,
    registry,
    presence,
    async start() {
      await presence.start();
      await registry.start();
      await registry.setState('active');
      await lease.start();
      timer = setInterval(() => void reapDeadNodes().then(retention), LEADER_JOBS_MS);
      timer.unref();
    },
    async drain() {
      await registry.setState('draining');
      await lease.release();
    },
    async stop() {
      clearInterval(timer);
      redis.off('ready', onReady);
      await lease.stop();
      await registry.stop();
      await presence.stop();
    },
  };
}

async function presenceNodeIds(redis: ClusterRuntime['redis']['commands'], pattern: string, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of found) ids.push(key.slice(prefix.length));
  } while (cursor !== '0');
  return ids;
}
