import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { boolQuery } from '../params.js';
import { SERVER_VERSION } from '../app.js';

/** system/ping: the balancer's health check. 503 while draining or (with get_server_status) when the database is down. */
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
}
