import { newId, SwitchboardError } from '@switchboard/shared';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../logging/logger.js';
import { createAuthenticator, type ApiContext } from './api-context.js';
import { registerApi4 } from './api4/index.js';
import { errorBody, handleError } from './errors.js';
import { RateLimit } from './rate-limit.js';
import { loadWebSite, serveWeb, type WebSite } from './web-static.js';

/** Version announced in X-Version-Id and hello, in Mattermost's dotted form. */
export const SERVER_VERSION = '10.0.0.switchboard.0.1.0';

/**
 * Builds the HTTP application (no listening): Mattermost API v4 routes, errors, limits, metrics,
 * and the web chat client at `/` (from `config.webDir`, or `web` when given).
 */
export function buildHttpApp(ctx: Omit<ApiContext, 'authenticate' | 'optionalAuth'>, log: Logger, web?: WebSite): FastifyInstance {
  const site = web ?? loadWebSite(ctx.config.webDir);
  if (!site.built) log.warn({ webDir: site.dir }, 'web client not built: / explains how to build it');
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: ctx.config.maxBodyBytes,
    genReqId: () => newId(),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  });
  const ipLimit = new RateLimit('ip', ctx.config.rateLimitPerIp);
  const userLimit = new RateLimit('user', ctx.config.rateLimitPerUser);
  const api: ApiContext = { ...ctx, ...createAuthenticator(ctx.services, userLimit, ctx.metrics) };

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id).header('X-Version-Id', SERVER_VERSION).header('X-Cluster-Id', ctx.config.cluster);
    if (ctx.status().draining && request.method === 'POST' && request.url.startsWith('/api/v4/users/login')) {
      void reply.header('Retry-After', '1');
      throw new SwitchboardError('api.context.draining.app_error', { detail: 'this node is draining; log in through another node' });
    }
    if (request.url.startsWith('/api/')) {
      try {
        await ipLimit.take(request.ip, reply);
      } catch (err) {
        ctx.metrics.httpRateLimited.inc({ scope: 'ip' });
        throw err;
      }
    }
  });
  // Mattermost clients parse a body as JSON only when Content-Type is exactly application/json.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) void reply.header('content-type', 'application/json');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request done');
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    if (serveWeb(site, request, reply)) return;
    const err = new SwitchboardError('api.context.404.app_error', { detail: `${request.method} ${request.url.split('?')[0]}` });
    void reply.code(404).send(errorBody(err, String(request.id)));
  });

  registerApi4(app, api);
  if (ctx.config.metricsEnabled) {
    app.get('/metrics', async (_request, reply) => {
      void reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  }
  return app;
}
