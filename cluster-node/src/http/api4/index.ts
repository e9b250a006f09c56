import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { channelsRoutes } from './channels.js';
import { postsRoutes } from './posts.js';
import { statusesRoutes } from './statuses.js';
import { systemRoutes } from './system.js';
import { teamsRoutes } from './teams.js';
import { usersRoutes } from './users.js';

/** Registers every /api/v4 route module. */
export function registerApi4(app: FastifyInstance, api: ApiContext): void {
  void app.register(
    async (v4) => {
      systemRoutes(v4, api);
      postsRoutes(v4, api);
      usersRoutes(v4, api);
      statusesRoutes(v4, api);
      teamsRoutes(v4, api);
      channelsRoutes(v4, api);
    },
    { prefix: '/api/v4' },
  );
}
