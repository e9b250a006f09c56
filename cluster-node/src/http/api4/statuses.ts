import { idListRequest, SwitchboardError, updateStatusRequest } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { idParam } from '../params.js';

/** users/{id}/status (get, put) and users/status/ids. */
export function statusesRoutes(app: FastifyInstance, api: ApiContext): void {
  const { statuses } = api.services;

  app.post('/users/status/ids', async (request, reply) => {
    await api.authenticate(request, reply);
    return statuses.get(idListRequest.parse(request.body));
  });

  app.get('/users/:user_id/status', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const [status] = await statuses.get([idParam(request, 'user_id', auth)]);
    return status;
  });

  app.put('/users/:user_id/status', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const userId = idParam(request, 'user_id', auth);
    const body = updateStatusRequest.safeParse(request.body);
    if (!body.success) throw new SwitchboardError('api.user.update_status.invalid.app_error', { detail: body.error.issues[0]?.message ?? '' });
    if (body.data.user_id !== userId) throw new SwitchboardError('api.context.invalid_body_param.app_error', { detail: 'user_id in the body must match the URL' });
    return statuses.setManual(auth, userId, body.data.status);
  });
}
