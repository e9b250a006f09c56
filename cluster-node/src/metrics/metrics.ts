import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The node's Prometheus metrics, on a registry of its own (several nodes can share a process
 * in tests). Names follow Prometheus conventions: `switchboard_` prefix, `_seconds`, `_total`.
 */
export interface Metrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  httpRateLimited: Counter<'scope'>;
  wsConnections: Gauge;
  wsEventsSent: Counter<'event'>;
  wsActions: Counter<'action' | 'result'>;
  wsClosed: Counter<'reason'>;
  wsResumes: Counter<'result'>;
  postsCreated: Counter;
}

/** Creates the node's metrics, with Node's default process metrics included. */
export function createMetrics(options: { nodeId: string; collectDefaults?: boolean }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node_id: options.nodeId });
  if (options.collectDefaults !== false) collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'switchboard_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    httpRateLimited: new Counter({
      name: 'switchboard_http_rate_limited_total',
      help: 'Requests refused with 429, by limit scope (ip or user).',
      labelNames: ['scope'],
      registers,
    }),
    wsConnections: new Gauge({
      name: 'switchboard_ws_connections',
      help: 'Open WebSocket connections on this node.',
      registers,
    }),
    wsEventsSent: new Counter({
      name: 'switchboard_ws_events_sent_total',
      help: 'WebSocket events written to client sockets, by event.',
      labelNames: ['event'],
      registers,
    }),
    wsActions: new Counter({
      name: 'switchboard_ws_actions_total',
      help: 'WebSocket actions received from clients, by action and result.',
      labelNames: ['action', 'result'],
      registers,
    }),
    wsClosed: new Counter({
      name: 'switchboard_ws_closed_total',
      help: 'WebSocket connections closed by the server, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    wsResumes: new Counter({
      name: 'switchboard_ws_resumes_total',
      help: 'Reconnections with a connection_id by result (remote, or why a new connection was made).',
      labelNames: ['result'],
      registers,
    }),
    postsCreated: new Counter({
      name: 'switchboard_posts_created_total',
      help: 'Posts created through this node.',
      registers,
    }),
  };
}
