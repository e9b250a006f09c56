import { createPostRequest, patchPostRequest, updatePostRequest } from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelPostsQuery } from '../../app/posts.js';
import type { ApiContext } from '../api-context.js';
import { idParam, idQuery, intQuery, paging } from '../params.js';

/**
 * Which listing GET /channels/{id}/posts asks for. Mattermost's precedence: since (when > 0,
 * page and per_page ignored), then after, then before, then a plain page. Client flags such as
 * skipFetchThreads or collapsedThreads are accepted and ignored: the view is always flat.
 */
export function channelPostsQuery(request: FastifyRequest): ChannelPostsQuery {
  const since = intQuery(request, 'since', 0);
  const after = idQuery(request, 'after');
  const before = idQuery(request, 'before');
  const { page, perPage } = paging(request);
  if (since > 0) return { mode: 'since', since };
  if (after) return { mode: 'after', postId: after, page, perPage };
  if (before) return { mode: 'before', postId: before, page, perPage };
  return { mode: 'page', page, perPage };
}

/** posts: create, get, patch, update, delete, thread, and a channel's posts. */
export function postsRoutes(app: FastifyInstance, api: ApiContext): void {
  const { posts } = api.services;

  app.post('/posts', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const input = createPostRequest.parse(request.body);
    return reply.code(201).send(await posts.create(auth, input));
  });

  app.get('/posts/:post_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return posts.get(auth, idParam(request, 'post_id'));
  });

  app.put('/posts/:post_id/patch', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const postId = idParam(request, 'post_id');
    return posts.patch(auth, postId, patchPostRequest.parse(request.body));
  });

  app.put('/posts/:post_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const postId = idParam(request, 'post_id');
    return posts.update(auth, postId, updatePostRequest.parse(request.body));
  });

  app.delete('/posts/:post_id', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    await posts.delete(auth, idParam(request, 'post_id'));
    return { status: 'OK' };
  });

  app.get('/posts/:post_id/thread', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    return posts.thread(auth, idParam(request, 'post_id'));
  });

  app.get('/channels/:channel_id/posts', async (request, reply) => {
    const auth = await api.authenticate(request, reply);
    const channelId = idParam(request, 'channel_id');
    return posts.listForChannel(auth, channelId, channelPostsQuery(request));
  });
}
