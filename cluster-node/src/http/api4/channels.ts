import { addChannelMemberRequest, createChannelRequest, directChannelRequest, SwitchboardError, viewChannelRequest } from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANNEL_NAME } from '../../app/channels.js';
import type { ApiContext } from '../api-context.js';
import { boolQuery, idParam, paging, stringParam } from '../params.js';

/** A channel name path parameter, of a valid channel name's form. */
function channelNameParam(request: FastifyRequest): string {
  const name = stringParam(request, 'channel_name', 64);
  if (!CHANNEL_NAME.test(name)) throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: 'channel_name is not a valid channel name' });
  return name;
}

/** channels: create (team and direct), get, by team and name, members (list, get, add, remove, view), and a user's channels. */
export function channelsRoutes(app: FastifyInstance, api: ApiContext): void {
  const { channels } = api.services;

  app.post('/channels', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return reply.code(201).send(await channels.create(auth, createChannelRequest.parse(request.body)));
  });

  app.post('/channels/direct', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return reply.code(201).send(await channels.createDirect(auth, directChannelRequest.parse(request.body)));
  });

  app.get('/channels/:channel_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.get(auth, idParam(request, 'channel_id'));
  });

  app.get('/teams/:team_id/channels', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.listOpen(auth, idParam(request, 'team_id'), paging(request));
  });

  app.get('/teams/:team_id/channels/name/:channel_name', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.getByName(auth, idParam(request, 'team_id'), channelNameParam(request), boolQuery(request, 'include_deleted'));
  });

  app.get('/channels/:channel_id/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.members.list(auth, idParam(request, 'channel_id'), paging(request));
  });

  app.get('/channels/:channel_id/members/:user_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.members.get(auth, idParam(request, 'channel_id'), idParam(request, 'user_id', auth));
  });

  app.post('/channels/:channel_id/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const channelId = idParam(request, 'channel_id');
    const body = addChannelMemberRequest.parse(request.body);
    const added = await channels.members.add(auth, channelId, 'user_ids' in body ? body.user_ids : [body.user_id]);
    return reply.code(201).send('user_ids' in body ? added : added[0]);
  });

  app.delete('/channels/:channel_id/members/:user_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    await channels.members.remove(auth, idParam(request, 'channel_id'), idParam(request, 'user_id', auth));
    return { status: 'OK' };
  });

  // Mattermost's "view channel": marks it read (unread = total_msg_count - msg_count).
  app.post('/channels/members/:user_id/view', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const body = viewChannelRequest.parse(request.body);
    const times = await channels.members.view(auth, idParam(request, 'user_id', auth), body.channel_id, body.prev_channel_id ?? '');
    return { status: 'OK', last_viewed_at_times: times };
  });

  app.get('/users/:user_id/teams/:team_id/channels', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.listForUser(auth, idParam(request, 'user_id', auth), { teamId: idParam(request, 'team_id'), includeDeleted: boolQuery(request, 'include_deleted') });
  });

  app.get('/users/:user_id/teams/:team_id/channels/members', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.listMembersForUser(auth, idParam(request, 'user_id', auth), idParam(request, 'team_id'));
  });

  app.get('/users/:user_id/channels', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return channels.listForUser(auth, idParam(request, 'user_id', auth), { includeDeleted: boolQuery(request, 'include_deleted') });
  });
}
