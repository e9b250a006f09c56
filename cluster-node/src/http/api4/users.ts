import {
  createUserRequest,
  idListRequest,
  loginRequest,
  searchUsersRequest,
  SwitchboardError,
  usernameListRequest,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { idParam, idQuery, paging, stringParam } from '../params.js';

/** users: sign-up, login/logout, me, lookups by id, ids, username(s), search and listing. */
export function usersRoutes(app: FastifyInstance, api: ApiContext): void {
  const { users, sessions } = api.services;

  app.post('/users', async (request, reply) => {
    const input = createUserRequest.parse(request.body);
    const caller = await api.optionalAuth(request, reply);
    return reply.code(201).send(await users.create(input, caller));
  });

  app.post('/users/login', async (request, reply) => {
    const { user, token } = await users.login(loginRequest.parse(request.body));
    void reply.header('Token', token);
    return user;
  });

  app.post('/users/logout', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    await sessions.revoke(auth);
    return { status: 'OK' };
  });

  app.get('/users', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return users.list(auth, { inTeam: idQuery(request, 'in_team'), inChannel: idQuery(request, 'in_channel'), ...paging(request) });
  });

  app.post('/users/ids', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return users.getByIds(auth, idListRequest.parse(request.body));
  });

  app.post('/users/usernames', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return users.getByUsernames(auth, usernameListRequest.parse(request.body));
  });

  app.post('/users/search', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return users.search(auth, searchUsersRequest.parse(request.body));
  });

  app.get('/users/username/:username', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return users.getByUsername(auth, stringParam(request, 'username', 64));
  });

  app.get('/users/:user_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const userId = idParam(request, 'user_id', auth);
    return users.get(auth, userId);
  });
}

/** Refuses acting on another user's behalf unless the caller is a system admin. */
export function requireSelfOrAdmin(auth: { userId: string; isSystemAdmin: boolean }, userId: string): void {
  if (auth.userId !== userId && !auth.isSystemAdmin) {
    throw new SwitchboardError('api.context.permissions.app_error', { detail: 'only the user themself or a system admin may do this' });
  }
}
