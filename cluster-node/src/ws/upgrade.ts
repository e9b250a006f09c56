import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NodeConfig } from '@switchboard/shared';

/** The WebSocket endpoint, as Mattermost serves it. */
export const WEBSOCKET_PATH = '/api/v4/websocket';

/** Why an upgrade is refused before the handshake. */
export interface UpgradeRefusal {
  status: number;
  reason: string;
  headers?: Record<string, string>;
}

/**
 * OWASP's cross-site WebSocket hijacking defence: a browser always sends `Origin`; it must be
 * this node's own origin or on the allowlist. Clients that send none (bots, the official client
 * under Node) are not browsers and pass.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
  return allowedOrigins.includes(origin);
}

/** Checks path, drain state and origin; returns why to refuse, or undefined to proceed. */
export function checkUpgrade(request: IncomingMessage, config: Pick<NodeConfig, 'allowedOrigins'>, draining: boolean): UpgradeRefusal | undefined {
  const path = (request.url ?? '').split('?')[0];
  if (path !== WEBSOCKET_PATH) return { status: 404, reason: 'Not Found' };
  if (draining) return { status: 503, reason: 'Service Unavailable', headers: { 'Retry-After': '1' } };
  if (!originAllowed(request, config.allowedOrigins)) return { status: 403, reason: 'Forbidden' };
  return undefined;
}

/** Answers a refused upgrade with a plain HTTP response and closes the socket. */
export function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = JSON.stringify({ id: refusal.status === 403 ? 'websocket.origin_refused' : 'websocket.refused', message: refusal.reason, status_code: refusal.status });
  const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...refusal.headers };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
  socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n${head}\r\n\r\n${body}`);
}

/** The resume parameters a reconnecting Mattermost client puts in the URL. */
export function resumeParams(request: IncomingMessage): { connectionId: string; sequence: number } {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const sequence = Number(url.searchParams.get('sequence_number') ?? '0');
  return {
    connectionId: url.searchParams.get('connection_id') ?? '',
    sequence: Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : -1,
  };
}
