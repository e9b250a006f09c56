import pg from 'pg';
import { Redis } from 'ioredis';

/**
 * Runs once before the integration tests: checks that the Postgres and Redis they use answer,
 * and stops the run with one clear message if not (instead of every test timing out).
 */
export default async function checkServices(): Promise<void> {
  const postgresUrl = process.env.SB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    problems.push(`Postgres at ${postgresUrl.replace(/\/\/[^@/]*@/, '//***@')} does not answer (${(err as Error).message}); set SB_TEST_DATABASE_URL to a server where tests may create databases`);
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    problems.push(`Redis at ${redisUrl} does not answer (${(err as Error).message}); set SB_TEST_REDIS_URL`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) {
    throw new Error(`${problems.join('\n')}\nOn a fresh Debian machine, \`bash .ci/run\` installs and starts both, then runs the tests.`);
  }
}
