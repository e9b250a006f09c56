import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { boolQuery } from '../params.js';
import { SwitchboardError } from '@switchboard/shared';
import { SERVER_VERSION } from '../app.js';

/** system/ping (the balancer's health check) and cluster/status. system/ping: 503 while draining or (with get_server_status) when the database is down. */
export function systemRoutes(app: FastifyInstance, api: ApiContext): void {
  app.get('/system/ping', async (request, reply) => {
    const { nodeId, draining, redis } = api.status();
    // Redis being away does not make the node unhealthy: it keeps serving REST and its own sockets.
    const body: Record<string, unknown> = { status: 'OK', node_id: nodeId, version: SERVER_VERSION, node_state: draining ? 'draining' : 'active', redis };
    let healthy = !draining;
    if (boolQuery(request, 'get_server_status')) {
      const databaseOk = await api.db.ping();
      body.database_status = databaseOk ? 'OK' : 'UNHEALTHY';
      body.filestore_status = 'OK';
      healthy = healthy && databaseOk;
    }
    if (!healthy) {
      body.status = 'UNHEALTHY';
      if (draining) void reply.header('Retry-After', '1');
      return reply.code(503).send(body);
    }
    return body;
  });

  // Mattermost's cluster/status, readable by system admins, answered by every node from the registry.
  app.get('/cluster/status', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    if (!auth.isSystemAdmin) throw new SwitchboardError('api.context.permissions.app_error', { detail: 'cluster/status needs the system admin role' });
    return api.cluster.nodes();
  });
}
