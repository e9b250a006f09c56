import type { NodeConfig } from '@switchboard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from '../app/context.js';
import { tokenFromAuthorization } from '../app/sessions.js';
import type { Services } from '../app/services.js';
import type { ClusterView } from '../cluster/cluster-view.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Db } from '../store/db.js';
import type { RateLimit } from './rate-limit.js';

/** What route modules receive. */
export interface ApiContext {
  config: Readonly<NodeConfig>;
  services: Services;
  db: Db;
  metrics: Metrics;
  /** The cluster as the registry sees it. */
  cluster: ClusterView;
  /** The caller, or Mattermost's 401; also applies the per-user rate limit. */
  authenticate(request: FastifyRequest, reply: FastifyReply): Promise<AuthContext>;
  /** The caller if the request carries a valid token, else undefined (no 401). */
  optionalAuth(request: FastifyRequest, reply: FastifyReply): Promise<AuthContext | undefined>;
  /** Node status for system/ping and the registry. */
  status(): { nodeId: string; draining: boolean; redis: 'ok' | 'unreachable' | 'standalone' };
}

/** Builds the authenticate pair over the session service and the per-user limit. */
export function createAuthenticator(services: Services, userLimit: RateLimit, metrics: Metrics): Pick<ApiContext, 'authenticate' | 'optionalAuth'> {
  const cache = new WeakMap<FastifyRequest, AuthContext | undefined>();
  async function resolve(request: FastifyRequest, reply: FastifyReply, required: boolean): Promise<AuthContext | undefined> {
    if (!cache.has(request)) {
      const token = tokenFromAuthorization(request.headers.authorization);
      const auth = required ? await services.sessions.require(token) : await services.sessions.resolve(token);
      cache.set(request, auth);
      if (auth) {
        try {
          await userLimit.take(auth.userId, reply);
        } catch (err) {
          metrics.httpRateLimited.inc({ scope: 'user' });
          throw err;
        }
      }
    }
    const auth = cache.get(request);
    if (!auth && required) return services.sessions.require(undefined);
    return auth;
  }
  return {
    authenticate: async (request, reply) => (await resolve(request, reply, true))!,
    optionalAuth: (request, reply) => resolve(request, reply, false),
  };
}
