import { SwitchboardError } from '@switchboard/shared';

/** Socket-level failures: the server is not there (or not answering). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** SQLSTATEs meaning the server is going away or not accepting connections yet. */
const UNREACHABLE_STATES = new Set(['57P01', '57P02', '57P03']);

/** SQLSTATEs of refused credentials (invalid_password, invalid_authorization_specification). */
const AUTH_STATES = new Set(['28P01', '28000']);

/** Messages pg itself raises (no code) when the connection fails or times out. */
const UNREACHABLE_MESSAGES = /timeout expired|Connection terminated|connect ETIMEDOUT|Connection ended|Client has encountered a connection error/i;

/** pg raises this client-side when a password was needed but none was given. */
const AUTH_MESSAGES = /password must be a string|password authentication failed|no password supplied/i;

/**
 * Wraps a pg driver error into the console's error model: `postgres.unreachable` (network,
 * timeout, server shutting down, connection exceptions of SQLSTATE class 08), `postgres.auth_failed`
 * (credentials refused) or `postgres.query_failed` (anything else). A SwitchboardError passes
 * through. The detail keeps the driver's message and code, never the connection string.
 * @example catch (err) { throw toPostgresError(err); }
 */
export function toPostgresError(err: unknown): SwitchboardError {
  if (err instanceof SwitchboardError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
  const message = err instanceof Error ? err.message : String(err);
  const detail = code ? `${message} (${code})` : message;
  if (AUTH_STATES.has(code) || AUTH_MESSAGES.test(message)) return new SwitchboardError('postgres.auth_failed', { detail, cause: err });
  if (UNREACHABLE_CODES.has(code) || UNREACHABLE_STATES.has(code) || code.startsWith('08') || UNREACHABLE_MESSAGES.test(message)) {
    return new SwitchboardError('postgres.unreachable', { detail, cause: err });
  }
  return new SwitchboardError('postgres.query_failed', { detail, cause: err });
}
