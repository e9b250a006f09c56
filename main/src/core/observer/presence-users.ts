import { presenceUsersQuerySchema, type ClusterKeys, type PresenceUser, type PresenceUserPage, type PresenceUsersQuery } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { scanClusterKeys } from './cluster-reads.js';
import { parseInput } from './parse-input.js';

/** Usernames of user ids, from Postgres (the inspector's `lookupUsers`); unknown ids are left out. */
export type LookupUsers = (ids: string[]) => Promise<Array<{ id: string; username: string }>>;

/**
 * One page of the users online in the cluster: ids from the `presence:users` hash, usernames from
 * `lookupUsers` (null without it), filtered by a case-insensitive substring of username or id,
 * sorted by username then id, each with its socket count and the nodes holding its sockets.
 * Throws `console.invalid_argument` for a bad query; Redis and lookup errors as they come.
 * @example await readPresenceUsers(redis, keys, { search: 'ali', page: 0, perPage: 50 }, inspector.lookupUsers)
 */
export async function readPresenceUsers(redis: Redis, keys: ClusterKeys, input: PresenceUsersQuery, lookupUsers?: LookupUsers): Promise<PresenceUserPage> {
  const query = parseInput(presenceUsersQuerySchema, input, 'presenceUsers');
  const totals = await redis.hgetall(keys.presenceUsers);
  const ids = Object.keys(totals).filter((id) => Number(totals[id]) > 0);
  const names = new Map<string, string>();
  if (lookupUsers && ids.length > 0) for (const { id, username } of await lookupUsers(ids)) names.set(id, username);
  const needle = query.search?.trim().toLowerCase() ?? '';
  const matching = ids
    .filter((id) => needle === '' || id.includes(needle) || (names.get(id)?.toLowerCase().includes(needle) ?? false))
    .sort((a, b) => compareUsers(names.get(a), a, names.get(b), b));
  const pageIds = matching.slice(query.page * query.perPage, (query.page + 1) * query.perPage);
  const nodesOf = await nodesHolding(redis, keys, pageIds);
  const users: PresenceUser[] = pageIds.map((id) => ({ id, username: names.get(id) ?? null, connections: Number(totals[id]), nodes: nodesOf.get(id) ?? [] }));
  return { total: matching.length, page: query.page, perPage: query.perPage, users };
}

/** Username order (users without one last), then id. */
function compareUsers(nameA: string | undefined, idA: string, nameB: string | undefined, idB: string): number {
  if (nameA !== nameB) {
    if (nameA === undefined) return 1;
    if (nameB === undefined) return -1;
    return nameA < nameB ? -1 : 1;
  }
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** For each user, the nodes whose presence hash counts a socket of theirs (HMGET per node). */
async function nodesHolding(redis: Redis, keys: ClusterKeys, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const { presenceNodes } = await scanClusterKeys(redis, keys);
  const prefix = keys.presenceNode('');
  const pipeline = redis.pipeline();
  for (const key of presenceNodes) pipeline.hmget(key, ...userIds);
  const replies = (await pipeline.exec()) ?? [];
  replies.forEach(([err, counts], i) => {
    if (err) throw err;
    const nodeId = presenceNodes[i]!.slice(prefix.length);
    (counts as Array<string | null>).forEach((count, j) => {
      if (Number(count ?? 0) <= 0) return;
      const list = out.get(userIds[j]!) ?? [];
      list.push(nodeId);
      out.set(userIds[j]!, list);
    });
  });
  return out;
}
