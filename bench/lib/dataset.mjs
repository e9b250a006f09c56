// The bench's users, channels and sessions: planned in memory (deterministically), then written
// straight into Postgres with SQL after the node migrated. Signing up thousands of users over
// REST would spend minutes in argon2; one hash is computed and shared, and sessions are inserted
// with the SHA-256 of their token, as cluster-node/src/app/sessions.ts stores them.
import { createHash } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { newId } from '@switchboard/shared';
import pg from 'pg';
import { seededRandom } from './stats.mjs';

/** Fixed channel indexes; mixed channels follow from {@link MIX_BASE}. */
export const CHANNEL = { big: 0, quiet: 1, failover: 2 };
/** Index of the first mixed channel. */
export const MIX_BASE = 3;

function plannedChannel(index, name, members) {
  return { index, id: newId(), name, members };
}

/** Members of one mixed channel: `size` distinct users of the block starting at `first`. */
function sampleMembers(random, first, blockUsers, size) {
  const chosen = new Set();
  while (chosen.size < size) chosen.add(first + Math.floor(random() * blockUsers));
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Plans the dataset: `users` users; `big` holds the first `bigMembers`; `quiet` the first
 * `quietMembers`; `failover` the first `failoverMembers`; every block of `mixUsers` users gets
 * `mixChannels` channels of 10 to 100 members drawn from that block.
 */
export function planDataset(size, failoverMembers) {
  const random = seededRandom(20_240_601);
  const users = Array.from({ length: size.users }, (_, i) => ({ index: i, id: newId(), username: `bench${i}`, token: newId(), channels: [] }));
  const range = (n) => Array.from({ length: n }, (_, i) => i);
  const channels = [
    plannedChannel(CHANNEL.big, 'big', range(size.bigMembers)),
    plannedChannel(CHANNEL.quiet, 'quiet', range(size.quietMembers)),
    plannedChannel(CHANNEL.failover, 'failover', range(failoverMembers)),
  ];
  const blocks = Math.floor(size.users / size.mixUsers);
  for (let block = 0; block < blocks; block += 1) {
    for (let j = 0; j < size.mixChannels; j += 1) {
      const members = sampleMembers(random, block * size.mixUsers, size.mixUsers, 10 + Math.floor(random() * 91));
      channels.push(plannedChannel(channels.length, `mix-${block}-${j}`, members));
    }
  }
  for (const channel of channels) for (const member of channel.members) users[member].channels.push(channel.index);
  return { teamId: newId(), users, channels, mixChannelsPerBlock: size.mixChannels, mixUsers: size.mixUsers };
}

/** Mixed channels whose members all lie among the first `userCount` users. */
export function mixChannelsWithin(dataset, userCount) {
  const blocks = Math.floor(userCount / dataset.mixUsers);
  return dataset.channels.filter((c) => c.index >= MIX_BASE && c.index < MIX_BASE + blocks * dataset.mixChannelsPerBlock);
}

async function insertRows(client, table, columns, rows) {
  const chunk = 5_000;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const arrays = columns.map(([, type], c) => ({ type, values: part.map((row) => row[c]) }));
    const unnest = arrays.map(({ type }, i) => `$${i + 1}::${type}[]`).join(', ');
    await client.query(`INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${unnest})`, arrays.map((a) => a.values));
  }
}

/** Writes the planned dataset into a migrated Switchboard database. */
export async function writeDataset(databaseUrl, dataset) {
  const passwordHash = await hash('bench-password-not-used');
  const now = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await insertRows(client, 'users', [['id', 'text'], ['create_at', 'bigint'], ['update_at', 'bigint'], ['username', 'text'], ['email', 'text'], ['password_hash', 'text'], ['roles', 'text'], ['last_password_update', 'bigint']],
      dataset.users.map((u) => [u.id, now, now, u.username, `${u.username}@bench.invalid`, passwordHash, u.index === 0 ? 'system_user system_admin' : 'system_user', now]));
    await client.query(`INSERT INTO teams (id, create_at, update_at, name, display_name, type, invite_id) VALUES ($1, $2, $2, 'bench', 'Bench', 'O', $3)`, [dataset.teamId, now, newId()]);
    await insertRows(client, 'team_members', [['team_id', 'text'], ['user_id', 'text'], ['create_at', 'bigint']], dataset.users.map((u) => [dataset.teamId, u.id, now]));
    await insertRows(client, 'channels', [['id', 'text'], ['create_at', 'bigint'], ['update_at', 'bigint'], ['team_id', 'text'], ['type', 'text'], ['name', 'text'], ['display_name', 'text']],
      dataset.channels.map((c) => [c.id, now, now, dataset.teamId, 'O', c.name, c.name]));
    const memberships = dataset.channels.flatMap((c) => c.members.map((m) => [c.id, dataset.users[m].id, now]));
    await insertRows(client, 'channel_members', [['channel_id', 'text'], ['user_id', 'text'], ['last_update_at', 'bigint']], memberships);
    const day = 24 * 3_600_000;
    await insertRows(client, 'sessions', [['id', 'text'], ['token_hash', 'text'], ['user_id', 'text'], ['create_at', 'bigint'], ['expires_at', 'bigint'], ['last_activity_at', 'bigint']],
      dataset.users.map((u) => [newId(), createHash('sha256').update(u.token).digest('hex'), u.id, now, now + day, now]));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
