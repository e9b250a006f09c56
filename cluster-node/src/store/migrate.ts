import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logging/logger.js';
import type { Queryable } from './db.js';

/** Where the SQL migrations live (the same path from src/ and dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Applies pending migrations under Postgres's advisory lock, waiting for the lock, so that
 * several nodes starting at once against an empty database migrate exactly once.
 * Returns the names of the migrations this call applied.
 */
export async function migrate(options: { databaseUrl: string; log: Logger }): Promise<string[]> {
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    advisoryLockMode: 'wait',
    singleTransaction: true,
    checkOrder: true,
    log: () => {},
    logger: {
      debug: () => {},
      info: (msg: string) => options.log.debug({ migration: msg }, 'migration step'),
      warn: (msg: string) => options.log.warn({ migration: msg }, 'migration warning'),
      error: (msg: string) => options.log.error({ migration: msg }, 'migration error'),
    },
  });
  return applied.map((migration) => migration.name);
}

/** Name of the latest applied migration (the node's schema version), or '' before any. */
export async function schemaVersion(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY run_on DESC, id DESC LIMIT 1');
  return rows[0]?.name ?? '';
}
