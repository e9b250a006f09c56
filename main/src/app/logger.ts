import { pino, type Logger } from 'pino';
import { SECRET_REDACT_PATHS } from '../core/secrets/index.js';

/** Fields redacted from every console log line (secrets, tokens, cookies), wherever they appear. */
export const CONSOLE_REDACT_PATHS: readonly string[] = [...SECRET_REDACT_PATHS, 'session', '*.session', 'headers.cookie', 'headers.authorization'];

/**
 * The console's root logger: JSON lines on stderr (stdout carries the CLI's own output: the
 * console URL, `status --json`), secrets and tokens redacted.
 * @example const log = createConsoleLogger({ level: 'info' });
 */
export function createConsoleLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'switchboard-console', pid: process.pid },
      redact: { paths: [...CONSOLE_REDACT_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stderr,
  );
}
