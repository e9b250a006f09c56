import pg from 'pg';
import { SwitchboardError } from '@switchboard/shared';

/** The subset of a pg client the stores use, so a pool or a transaction client both fit. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** The database handle services receive. */
export interface Db extends Queryable {
  /** Runs `work` in one transaction, committing on success and rolling back on throw. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Whether the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08000', '08003', '08006']);

/** Maps a driver connection failure onto `store.unavailable`; other errors pass through. */
export function wrapDriverError(err: unknown): unknown {
  const code = (err as { code?: string }).code;
  if (code && CONNECTION_ERROR_CODES.has(code)) {
    return new SwitchboardError('store.unavailable', { detail: code, cause: err });
  }
  if (err instanceof Error && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/.test(err.message)) {
    return new SwitchboardError('store.unavailable', { detail: err.message, cause: err });
  }
  return err;
}

/** Whether an error is Postgres's unique violation, optionally on a named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * Opens a pool to Postgres. Connection failures surface as `store.unavailable`.
 * @example const db = createDb({ url: config.databaseUrl, max: 10 });
 */
export function createDb(options: { url: string; max: number; applicationName?: string }): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'switchboard-node',
  });
  // An idle client losing its connection must not crash the node; the next query reconnects.
  pool.on('error', () => {});

  async function query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await pool.query<R>(text, values);
    } catch (err) {
      throw wrapDriverError(err);
    }
  }

  return {
    query,
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw wrapDriverError(err);
      }
      try {
        await client.query('BEGIN');
        const result = await work({
          query: async (text, values) => {
            try {
              return await client.query(text, values);
            } catch (err) {
              throw wrapDriverError(err);
            }
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
