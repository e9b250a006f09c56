import { isId, SwitchboardError } from '@switchboard/shared';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../app/context.js';

type Params = Record<string, string | undefined>;
type Query = Record<string, string | string[] | undefined>;

/** A path parameter that must be an id (or `me`, resolved to the caller, where `auth` is given). */
export function idParam(request: FastifyRequest, name: string, auth?: AuthContext): string {
  const value = (request.params as Params)[name];
  if (auth && value === 'me') return auth.userId;
  if (!isId(value)) throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: `${name} must be a 26-character id` });
  return value;
}

/** A path parameter as a plain string, bounded in length. */
export function stringParam(request: FastifyRequest, name: string, maxLength = 128): string {
  const value = (request.params as Params)[name];
  if (!value || value.length > maxLength) throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: `${name} is missing or too long` });
  return value;
}

/** An optional non-negative integer query parameter, bounded. */
export function intQuery(request: FastifyRequest, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = (request.query as Query)[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{1,16}$/.test(value) || Number(value) > max) {
    throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: `${name} must be an integer from 0 to ${max}` });
  }
  return Number(value);
}

/** An optional id query parameter (empty means absent). */
export function idQuery(request: FastifyRequest, name: string): string | undefined {
  const raw = (request.query as Query)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return undefined;
  if (!isId(value)) throw new SwitchboardError('api.context.invalid_url_param.app_error', { detail: `${name} must be a 26-character id` });
  return value;
}

/** An optional boolean query parameter (`true`/`false`). */
export function boolQuery(request: FastifyRequest, name: string): boolean {
  const raw = (request.query as Query)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === 'true' || value === '1';
}

/** Largest page Mattermost serves; larger `per_page` values are capped to it, as Mattermost does. */
export const MAX_PER_PAGE = 200;

/** Mattermost pagination: `page` from 0, `per_page` default 60, capped at {@link MAX_PER_PAGE}. */
export function paging(request: FastifyRequest): { page: number; perPage: number } {
  const perPage = intQuery(request, 'per_page', 60, 1_000_000);
  return { page: intQuery(request, 'page', 0, 100_000), perPage: Math.min(MAX_PER_PAGE, Math.max(1, perPage)) };
}
