// The real Postgres and Redis a run uses: a fresh database per run (dropped afterwards) and a
// unique cluster name per run (its keys deleted afterwards), plus their versions for the report.
import { newId } from '@switchboard/shared';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Postgres server the bench creates its database on. */
export const POSTGRES_URL = process.env.SB_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Redis the nodes, the Socket.IO adapter and the floor share. */
export const REDIS_URL = process.env.SB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `sb_bench_<id>`; `drop()` removes it, terminating leftover connections. */
export async function createDatabase() {
  const name = `sb_bench_${newId()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(POSTGRES_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Redis client for the runner's own reads (leader key, latency summaries, cleanup). */
export function connectRedis() {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  redis.on('error', () => {});
  return redis;
}

/** Deletes every key matching `pattern`; returns how many went. */
export async function deleteKeys(redis, pattern) {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Server versions of Postgres and Redis, for the report. */
export async function serviceVersions() {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const postgres = (await client.query('SHOW server_version')).rows[0].server_version;
  await client.end();
  const redis = connectRedis();
  const info = await redis.info('server');
  redis.disconnect();
  return { postgres, redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
}
