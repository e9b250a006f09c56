import { addTeamMemberRequest, createTeamRequest, SwitchboardError } from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TEAM_NAME } from '../../app/teams.js';
import type { ApiContext } from '../api-context.js';
import { idParam, paging, stringParam } from '../params.js';

/** A team name path parameter, of a valid team name's form. */
function teamNameParam(request: FastifyRequest): string {
  const name = stringParam(request, 'team_name', 64);
  if (!TEAM_NAME.test(name)) throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: 'team_name is not a valid team name' });
  return name;
}

/** teams: create, list, by id and name, members (list, get, add); users/{id}/teams and their memberships. */
export function teamsRoutes(app: FastifyInstance, api: ApiContext): void {
  const { teams } = api.services;

  app.post('/teams', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return reply.code(201).send(await teams.create(auth, createTeamRequest.parse(request.body)));
  });

  app.get('/teams', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.list(auth, paging(request));
  });

  app.get('/teams/name/:team_name', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.getByName(auth, teamNameParam(request));
  });

  app.get('/teams/:team_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.get(auth, idParam(request, 'team_id'));
  });

  app.get('/teams/:team_id/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.listMembers(auth, idParam(request, 'team_id'), paging(request));
  });

  app.get('/teams/:team_id/members/:user_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.getMember(auth, idParam(request, 'team_id'), idParam(request, 'user_id', auth));
  });

  app.post('/teams/:team_id/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const teamId = idParam(request, 'team_id');
    const body = addTeamMemberRequest.parse(request.body);
    if (body.team_id !== teamId) throw new SwitchboardError('api.context.invalid_body_param.app_error', { detail: 'team_id in the body must match the URL' });
    return reply.code(201).send(await teams.addMember(auth, teamId, body.user_id));
  });

  app.get('/users/:user_id/teams', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.listForUser(auth, idParam(request, 'user_id', auth));
  });

  app.get('/users/:user_id/teams/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return teams.listMembersForUser(auth, idParam(request, 'user_id', auth));
  });
}
