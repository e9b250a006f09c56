import { isSwitchboardError, SwitchboardError, type AppErrorBody, type ErrorId } from '@switchboard/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';

const FASTIFY_CODES: Record<string, ErrorId> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'api.context.invalid_json.app_error',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'api.context.invalid_json.app_error',
  FST_ERR_CTP_BODY_TOO_LARGE: 'api.context.request_too_large.app_error',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'api.context.unsupported_media_type.app_error',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'api.context.invalid_body_param.app_error',
};

/** Turns anything thrown into a SwitchboardError: known ones as they are, the rest `internal.error`. */
export function toSwitchboardError(err: unknown): SwitchboardError {
  if (isSwitchboardError(err)) return err;
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const path = issue?.path.join('.') || 'body';
    return new SwitchboardError('api.context.invalid_body_param.app_error', { detail: `${path}: ${issue?.message ?? 'invalid'}` });
  }
  const fastifyError = err as Partial<FastifyError>;
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new SwitchboardError(mapped, { detail: fastifyError.message ?? '' });
  if (fastifyError.statusCode === 400 && /JSON/i.test(fastifyError.message ?? '')) {
    return new SwitchboardError('api.context.invalid_json.app_error', { detail: fastifyError.message ?? '' });
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new SwitchboardError('api.context.invalid_body_param.app_error', { status: fastifyError.statusCode, detail: fastifyError.message ?? '' });
  }
  return new SwitchboardError('internal.error', { cause: err });
}

/** Mattermost's error body for an error and the request it answers. */
export function errorBody(err: SwitchboardError, requestId: string): AppErrorBody {
  return { id: err.id, message: err.message, detailed_error: err.detail, request_id: requestId, status_code: err.status };
}

/** Fastify error handler: logs server faults with their stack, renders Mattermost's body. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const error = toSwitchboardError(err);
  if (error.status >= 500) request.log.error({ err, errorId: error.id }, 'request failed');
  else request.log.info({ errorId: error.id, status: error.status, detail: error.detail }, 'request refused');
  void reply.code(error.status).send(errorBody(error, String(request.id)));
}
