import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino replaces with "[redacted]" wherever they appear in a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'clusterSecret',
  '*.clusterSecret',
];

/**
 * The node's root logger: JSON lines on stdout (or the given destination), secrets redacted.
 * @example const log = createLogger({ level: 'info', nodeId: 'n1' });
 */
export function createLogger(options: { level: string; nodeId: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { nodeId: options.nodeId, pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
