import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from './app/context.js';
import { createServices, type Services } from './app/services.js';
import { createCoordination, type Coordination } from './cluster/coordination.js';
import { createClusterRuntime, type ClusterRuntime } from './cluster/runtime.js';
import { parseListen, redactConfig } from './config/load-config.js';
import { LocalEventBus, type EventBus } from './events/event-bus.js';
import { buildHttpApp } from './http/app.js';
import type { Logger } from './logging/logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createDb, type Db } from './store/db.js';
import { migrate, schemaVersion } from './store/migrate.js';
import { CLOSE, WebSocketHub } from './ws/hub.js';
import { createClusterView } from './cluster/cluster-view.js';

import { nodeRedisTarget, type NodeConfig, type NodeState } from '@switchboard/shared';

/** A running node: what tests and main.ts hold on to. */
export interface SwitchboardNode {
  readonly config: Readonly<NodeConfig>;
  readonly nodeId: string;
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly hub: WebSocketHub;
  readonly db: Db;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  /** The Redis side, when clustered. */
  readonly cluster: ClusterRuntime | undefined;
  /** Registry, leader lease and cluster presence, when clustered. */
  readonly coordination: Coordination | undefined;
  readonly state: NodeState;
  /** http://host:port the node listens on (after start). */
  readonly url: string;
  /** Migrates, joins the cluster, then listens. */
  start(): Promise<void>;
  /**
   * Drains: ping answers 503 and new sockets and logins are refused, the lease is given up,
   * sockets close in batches over the drain window with 1012, then everything stops.
   */
  drain(): Promise<void>;
  /** Closes sockets, the listener, the bus and the database, in reverse order of start. */
  stop(): Promise<void>;
}

/**
 * The composition root: config -> logger -> clients -> services -> transports, torn down in
 * reverse. main.ts and the tests both build nodes through this one function.
 */
export function createNode(config: Readonly<NodeConfig>, log: Logger, options: { now?: () => number } = {}): SwitchboardNode {
  const nodeId = config.nodeId!;
  const now = options.now ?? Date.now;
  const metrics = createMetrics({ nodeId });
  const db = createDb({ url: config.databaseUrl, max: config.databasePoolSize, applicationName: `switchboard-node ${nodeId}` });
  const cluster = nodeRedisTarget(config) ? createClusterRuntime({ config, log, metrics, nodeId }) : undefined;
  const bus: EventBus = cluster?.bus ?? new LocalEventBus(nodeId);
  const deps: ServiceDeps = { config, db, bus, log, metrics, now };
  const services = createServices(deps);
  let state: NodeState = 'starting';
  let stopped = false;
  let url = '';
  let schema = '';
  const coordination: Coordination | undefined = cluster
    ? createCoordination({
        config,
        cluster,
        statuses: services.statuses,
        db,
        log,
        nodeId,
        figures: { httpAddress: () => url, stats: (): { connections: number; usersOnline: number } => hub.stats(), schemaVersion: () => schema },
      })
    : undefined;
  const clusterView = createClusterView({ nodeId, config, cluster, coordination, figures: () => ({ url, schema, state }) });
  const app = buildHttpApp(
    { config, services, db, metrics, cluster: clusterView, status: () => ({ nodeId, draining: state === 'draining', redis: cluster?.redisStatus() ?? 'standalone' }) },
    log,
  );
  const hub: WebSocketHub = new WebSocketHub({ ...deps, services, nodeId }, cluster ? { remote: cluster.remoteResume, presence: coordination!.presence } : {});

  // A hole in the events no stream can fill: this node's clients reconnect and backfill.
  cluster?.bus.onUnrepairableGap((origin) => hub.resyncAll(`unrepairable gap from ${origin}`));

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    await hub.close();
    await app.close();
    await coordination?.stop();
    await cluster?.stop();
    await bus.close();
    await db.close();
    log.info('node stopped');
  }

  return {
    config,
    nodeId,
    app,
    services,
    hub,
    db,
    bus,
    metrics,
    cluster,
    coordination,
    get state() {
      return state;
    },
    get url() {
      return url;
    },
    async start() {
      const applied = await migrate({ databaseUrl: config.databaseUrl, log });
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
      schema = await schemaVersion(db);
      await cluster?.start();
      hub.attach(app.server);
      const { host, port } = parseListen(config.listen);
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      const printable = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${printable}:${address.port}`;
      await coordination?.start();
      state = 'active';
      log.info({ url, config: redactConfig(config) }, 'node listening');
    },
    async drain() {
      if (state === 'draining' || stopped) return;
      const started = Date.now();
      state = 'draining';
      log.info({ drainMs: config.drainMs }, 'draining');
      hub.refuseUpgrades();
      await coordination?.drain().catch((err: unknown) => log.warn({ err }, 'could not announce the drain'));
      await hub.closeAll(CLOSE.restart, 'node draining', config.drainMs);
      await hub.flushCheckpoints();
      // Stay up, answering 503, for the whole window so a balancer's health check takes the node out.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + config.drainMs - Date.now())));
      await stop();
    },
    stop,
  };
}
