import type { AddressInfo } from 'node:net';
import type { NodeConfig } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { createServices, type Services } from './app/services.js';
import type { ServiceDeps } from './app/context.js';
import { parseListen, redactConfig } from './config/load-config.js';
import { LocalEventBus, type EventBus } from './events/event-bus.js';
import { buildHttpApp } from './http/app.js';
import type { Logger } from './logging/logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createDb, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { WebSocketHub } from './ws/hub.js';

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
  /** http://host:port the node listens on (after start). */
  readonly url: string;
  /** Migrates, then listens. */
  start(): Promise<void>;
  /** Closes sockets, the listener, the bus and the database, in reverse order of start. */
  stop(): Promise<void>;
}

/**
 * The composition root: config -> logger -> clients -> services -> transports, torn down in
 * reverse. main.ts and the tests both build nodes through this one function.
 */
export function createNode(config: Readonly<NodeConfig>, log: Logger, options: { now?: () => number } = {}): SwitchboardNode {
  const nodeId = config.nodeId!;
  const metrics = createMetrics({ nodeId });
  const db = createDb({ url: config.databaseUrl, max: config.databasePoolSize, applicationName: `switchboard-node ${nodeId}` });
  const bus: EventBus = new LocalEventBus(nodeId);
  const deps: ServiceDeps = { config, db, bus, log, metrics, now: options.now ?? Date.now };
  const services = createServices(deps);
  let draining = false;
  const app = buildHttpApp({ config, services, db, metrics, status: () => ({ nodeId, draining }) }, log);
  const hub = new WebSocketHub({ ...deps, services, nodeId });
  let url = '';

  return {
    config,
    nodeId,
    app,
    services,
    hub,
    db,
    bus,
    metrics,
    get url() {
      return url;
    },
    async start() {
      const applied = await migrate({ databaseUrl: config.databaseUrl, log });
      if (applied.length > 0) log.info({ applied }, 'migrations applied');
      hub.attach(app.server);
      const { host, port } = parseListen(config.listen);
      await app.listen({ host, port });
      const address = app.server.address() as AddressInfo;
      const printable = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${printable}:${address.port}`;
      log.info({ url, config: redactConfig(config) }, 'node listening');
    },
    async stop() {
      draining = true;
      await hub.close();
      await app.close();
      await bus.close();
      await db.close();
      log.info('node stopped');
    },
  };
}

