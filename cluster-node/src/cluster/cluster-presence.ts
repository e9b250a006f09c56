import type { ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { StatusService } from '../app/statuses.js';
import type { Logger } from '../logging/logger.js';
import type { Presence } from '../ws/presence.js';

export type { Presence } from '../ws/presence.js';

/*
 * Invariants kept by every script below: counts and totals never go below zero (a field at
 * zero is deleted), and a user's total is never less than any one node's count of them.
 */

/** One socket opened (+1) or closed (-1) on a node: updates its hash and the total; returns the new total. */
const DELTA_LUA = `
local own = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local after = own + tonumber(ARGV[2])
if after < 0 then after = 0 end
if after == 0 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], after) end
local total = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') + (after - own)
if total < after then total = after end
if total <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]); return 0 end
redis.call('HSET', KEYS[2], ARGV[1], total)
return total`;

/**
 * Replaces a node's hash with its local counts (ARGV[1], JSON object) and moves the totals by the
 * difference. Returns flat [user, before, after, ...] for users whose total changed and for every
 * user listed in ARGV[2] (JSON array: users whose last update was lost in an outage).
 */
const RESYNC_LUA = `
local want = cjson.decode(ARGV[1])
local extra = {}
for _, user in ipairs(cjson.decode(ARGV[2])) do extra[user] = true end
local old = {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do old[flat[i]] = tonumber(flat[i + 1]) or 0 end
local seen, out = {}, {}
local function settle(user)
  if seen[user] then return end
  seen[user] = true
  local own = want[user] or 0
  local before = tonumber(redis.call('HGET', KEYS[2], user) or '0')
  local after = before + own - (old[user] or 0)
  if after < own then after = own end
  if after ~= before then
    if after == 0 then redis.call('HDEL', KEYS[2], user) else redis.call('HSET', KEYS[2], user, after) end
  end
  if after ~= before or extra[user] then
    out[#out + 1] = user; out[#out + 1] = before; out[#out + 1] = after
  end
end
for user in pairs(want) do settle(user) end
for user in pairs(old) do settle(user) end
for user in pairs(extra) do settle(user) end
redis.call('DEL', KEYS[1])
for user, count in pairs(want) do redis.call('HSET', KEYS[1], user, count) end
return out`;

/** Removes a dead node's counts from the totals and deletes its hash; returns users left with none. */
const REAP_LUA = `
local flat = redis.call('HGETALL', KEYS[1])
local gone = {}
for i = 1, #flat, 2 do
  local user = flat[i]
  local total = tonumber(redis.call('HGET', KEYS[2], user) or '0') - (tonumber(flat[i + 1]) or 0)
  if total <= 0 then
    redis.call('HDEL', KEYS[2], user)
    gone[#gone + 1] = user
  else
    redis.call('HSET', KEYS[2], user, total)
  end
end
redis.call('DEL', KEYS[1])
return gone`;

type PresenceRedis = Redis & {
  sbPresenceDelta(nodeKey: string, usersKey: string, userId: string, delta: number): Promise<number>;
  sbPresenceResync(nodeKey: string, usersKey: string, counts: string, extra: string): Promise<Array<string | number>>;
  sbPresenceReap(nodeKey: string, usersKey: string): Promise<string[]>;
};

/** What cluster presence needs. */
export interface ClusterPresenceDeps {
  /** A command connection (not the subscriber); its `ready` events trigger a resync. */
  redis: Redis;
  keys: ClusterKeys;
  nodeId: string;
  statuses: StatusService;
  log: Logger;
}

/**
 * Cluster-wide presence with no ghosts. Each node counts its users' sockets locally and mirrors
 * the counts to Redis (`presenceNode(nodeId)`: user -> count; `presenceUsers`: user -> cluster
 * total), one Lua script per socket, issued at once so Redis applies them in call order. A total
 * going 0 -> 1 marks the user online, 1 -> 0 offline; status writes run one at a time per user,
 * and each is checked once against Redis afterwards, so two nodes racing in Postgres converge.
 * While Redis is unreachable, local counts go on and nobody is marked offline; after every
 * reconnect {@link ClusterPresence.resync} replaces this node's hash with the local counts.
 */
export class ClusterPresence implements Presence {
  private readonly counts = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly awaitingReply = new Map<string, number>();
  private readonly uncertain = new Set<string>();
  private readonly redis: PresenceRedis;
  private readonly nodeKey: string;
  private failing = false;
  private readonly onReady = () => void this.resync().catch(() => {});
  // A reply lost with the connection leaves us unsure whether Redis applied that update.
  private readonly onClose = () => this.awaitingReply.forEach((_count, userId) => this.uncertain.add(userId));

  constructor(private readonly deps: ClusterPresenceDeps) {
    deps.redis.defineCommand('sbPresenceDelta', { numberOfKeys: 2, lua: DELTA_LUA });
    deps.redis.defineCommand('sbPresenceResync', { numberOfKeys: 2, lua: RESYNC_LUA });
    deps.redis.defineCommand('sbPresenceReap', { numberOfKeys: 2, lua: REAP_LUA });
    this.redis = deps.redis as PresenceRedis;
    this.nodeKey = deps.keys.presenceNode(deps.nodeId);
  }

  /**
   * Resyncs at once (clearing what a previous run under this node id left behind) and after every
   * reconnect. Never throws for Redis: an unreachable Redis is resynced when it comes back.
   */
  async start(): Promise<void> {
    this.deps.redis.on('ready', this.onReady);
    this.deps.redis.on('close', this.onClose);
    await this.resync().catch(() => {});
  }

  /** Stops listening for reconnects and waits for queued work. Leaves this node's hash as it is. */
  async stop(): Promise<void> {
    this.deps.redis.off('ready', this.onReady);
    this.deps.redis.off('close', this.onClose);
    await this.settled();
  }

  /** A socket of `userId` opened on this node. */
  opened(userId: string): void {
    this.counts.set(userId, (this.counts.get(userId) ?? 0) + 1);
    this.apply(userId, 1);
  }

  /** A socket of `userId` closed on this node. A close with no open counted is logged and ignored. */
  closed(userId: string): void {
    const count = (this.counts.get(userId) ?? 0) - 1;
    if (count < 0) {
      this.deps.log.warn({ userId }, 'presence: socket closed that was never counted');
      return;
    }
    if (count === 0) this.counts.delete(userId);
    else this.counts.set(userId, count);
    this.apply(userId, -1);
  }

  /** Users with at least one open socket on this node. */
  get usersOnline(): number {
    return this.counts.size;
  }

  /** Resolves when every Redis update issued so far has answered and its status writes finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
    await Promise.all([...this.chains.values()]);
  }

  /**
   * Replaces this node's hash with the local counts in one script, moving the totals by the
   * difference, and publishes the transitions that causes (plus the true status of users whose
   * update was lost in an outage). Runs on start and after every reconnect; throws if Redis fails.
   */
  async resync(): Promise<void> {
    const extra = [...this.uncertain];
    this.uncertain.clear();
    const reply = this.redis.sbPresenceResync(this.nodeKey, this.deps.keys.presenceUsers, JSON.stringify(Object.fromEntries(this.counts)), JSON.stringify(extra));
    const done = reply.then(
      (flat) => this.afterResync(flat, new Set(extra)),
      (err: unknown) => {
        for (const userId of extra) this.uncertain.add(userId);
        this.noteFailure(err);
        throw err;
      },
    );
    const tracked = done.catch(() => {});
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    await done;
  }

  /**
   * For the leader: removes a dead node's presence (its registry entry is gone) and marks offline
   * the users who had a socket nowhere else. Returns those users, once their status is written.
   * Refuses (returns []) to reap this node itself: its own counts are live.
   */
  async reap(deadNodeId: string): Promise<string[]> {
    if (deadNodeId === this.deps.nodeId) {
      this.deps.log.warn('presence: refusing to reap this node itself');
      return [];
    }
    const gone = await this.redis.sbPresenceReap(this.deps.keys.presenceNode(deadNodeId), this.deps.keys.presenceUsers);
    for (const userId of gone) this.enqueue(userId, 'offline');
    await Promise.all(gone.map((userId) => this.chains.get(userId)));
    if (gone.length > 0) this.deps.log.info({ deadNodeId, offline: gone.length }, 'presence: reaped a dead node');
    return gone;
  }

  private apply(userId: string, delta: 1 | -1): void {
    this.awaitingReply.set(userId, (this.awaitingReply.get(userId) ?? 0) + 1);
    const update: Promise<void> = this.redis
      .sbPresenceDelta(this.nodeKey, this.deps.keys.presenceUsers, userId, delta)
      .then(
        (total) => {
          this.failing = false;
          if (delta === 1 && Number(total) === 1) this.enqueue(userId, 'online');
          if (delta === -1 && Number(total) === 0) this.enqueue(userId, 'offline');
        },
        (err: unknown) => {
          this.uncertain.add(userId);
          this.noteFailure(err);
          // A socket here is certain, so online is safe; offline waits for the resync.
          if (this.counts.has(userId)) this.enqueue(userId, 'online');
        },
      )
      .finally(() => {
        const left = (this.awaitingReply.get(userId) ?? 1) - 1;
        if (left > 0) this.awaitingReply.set(userId, left);
        else this.awaitingReply.delete(userId);
        this.pending.delete(update);
      });
    this.pending.add(update);
  }

  private afterResync(flat: Array<string | number>, extra: Set<string>): void {
    this.failing = false;
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const userId = String(flat[i]);
      const before = Number(flat[i + 1]);
      const after = Number(flat[i + 2]);
      if (after > 0 && (before === 0 || extra.has(userId))) this.enqueue(userId, 'online');
      else if (after === 0 && (before > 0 || extra.has(userId))) this.enqueue(userId, 'offline');
    }
  }

  private enqueue(userId: string, status: 'online' | 'offline'): void {
    const previous = this.chains.get(userId) ?? Promise.resolve();
    const next = previous
      .then(() => this.writeStatus(userId, status))
      .catch((err: unknown) => this.deps.log.warn({ userId, err }, 'status write failed'))
      .finally(() => {
        if (this.chains.get(userId) === next) this.chains.delete(userId);
      });
    this.chains.set(userId, next);
  }

  /**
   * Writes the status, then reads the cluster total once more: another node's opposite write may
   * have landed in Postgres after ours although it happened before in Redis. If the truth now
   * differs, write it. Never offline while this node holds a socket of the user.
   */
  private async writeStatus(userId: string, status: 'online' | 'offline'): Promise<void> {
    if (status === 'offline' && this.counts.has(userId)) return;
    await this.write(userId, status);
    let total: number;
    try {
      total = Number((await this.redis.hget(this.deps.keys.presenceUsers, userId)) ?? 0);
    } catch {
      return; // unsure: the resync after reconnect settles it
    }
    const truth = total > 0 || this.counts.has(userId) ? 'online' : 'offline';
    if (truth !== status) await this.write(userId, truth);
  }

  private write(userId: string, status: 'online' | 'offline'): Promise<void> {
    return status === 'online' ? this.deps.statuses.connected(userId) : this.deps.statuses.disconnected(userId);
  }

  private noteFailure(err: unknown): void {
    if (!this.failing) this.deps.log.warn({ err }, 'presence: redis unreachable; counting locally until it returns');
    this.failing = true;
  }
}

/** Cluster presence at a glance, for the console. */
export interface PresenceSummary {
  /** Users with a socket anywhere in the cluster. */
  usersOnline: number;
  /** Open sockets in the whole cluster. */
  connections: number;
  /** Per node holding presence, sorted by node id. */
  nodes: Array<{ nodeId: string; users: number; connections: number }>;
}

/**
 * Reads the cluster's presence: the totals hash and every node's hash (SCAN, then HVALS each).
 * @example const { usersOnline, nodes } = await listPresence(redis, keys);
 */
export async function listPresence(redis: Redis, keys: ClusterKeys): Promise<PresenceSummary> {
  const totals = (await redis.hvals(keys.presenceUsers)).map(Number).filter((n) => n > 0);
  const prefix = keys.presenceNode('');
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.presenceNodePattern, 'COUNT', 500);
    cursor = next;
    for (const key of batch) found.add(key);
  } while (cursor !== '0');
  const nodes: PresenceSummary['nodes'] = [];
  for (const key of [...found].sort()) {
    const counts = (await redis.hvals(key)).map(Number).filter((n) => n > 0);
    nodes.push({ nodeId: key.slice(prefix.length), users: counts.length, connections: counts.reduce((a, b) => a + b, 0) });
  }
  return { usersOnline: totals.length, connections: totals.reduce((a, b) => a + b, 0), nodes };
}
