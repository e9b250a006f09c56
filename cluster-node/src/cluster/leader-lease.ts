import { parseLeaderHolder, SwitchboardError, type ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.js';
import type { Db, Queryable } from '../store/db.js';
import { claimEpoch, fencedWrite, maxFenceEpoch } from '../store/fence.store.js';
import { appendLeaderHistory, LEADER_HISTORY_MAX_LEN } from './leader-history.js';

export { LEADER_HISTORY_MAX_LEN, readLeaderHistory, type LeaderEvent, type LeaderHistoryEntry } from './leader-history.js';

/** Lease TTL when the config gives none (config `leaderTtlMs`, SB_LEADER_TTL_MS). @default 3000 */
export const DEFAULT_LEADER_TTL_MS = 3_000;

/**
 * How long after the holder's lease would expire a follower tries again, ms: covers the round
 * trip, so a lease left by a dead leader is taken within ttl + this, not ttl + ttl/3.
 * @default 15
 */
export const LEADER_EXPIRY_RETRY_MS = 15;

/** Smallest safety margin between a leader's renew deadline and its lease expiry. @default 200 */
export const MIN_LEADER_SAFETY_MARGIN_MS = 200;

/**
 * How long before its lease would expire a leader that could not renew steps down:
 * max(ttl / 6, {@link MIN_LEADER_SAFETY_MARGIN_MS}). Covers clock drift and a slow last reply.
 * @example leaderSafetyMarginMs(3000) === 500
 */
export function leaderSafetyMarginMs(ttlMs: number): number {
  return Math.max(Math.floor(ttlMs / 6), MIN_LEADER_SAFETY_MARGIN_MS);
}

/**
 * Acquires the lease only if nobody holds it, taking the next epoch; records `acquired` in the
 * history. The epoch counter moves only when the SET succeeds. Returns `{epoch, value}`, or the
 * holder's remaining PTTL (ms) when the lease is taken.
 * ARGV[5] is a floor from Postgres: a counter lost with a Redis restart must not restart below
 * epochs the fence has already seen, or every leader write would be refused.
 * The value is built here (not with cjson over a table) so its bytes are fixed for compare-and-*.
 */
const ACQUIRE_LUA = `
local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
local floor = tonumber(ARGV[5])
local epoch = math.max(counter, floor) + 1
local value = '{"nodeId":' .. cjson.encode(ARGV[1]) .. ',"epoch":' .. string.format('%d', epoch) .. '}'
if not redis.call('SET', KEYS[1], value, 'NX', 'PX', ARGV[2]) then return redis.call('PTTL', KEYS[1]) end
if floor > counter then redis.call('SET', KEYS[2], string.format('%d', floor)) end
redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'event', 'acquired', 'nodeId', ARGV[1], 'epoch', string.format('%d', epoch), 'ts', ARGV[3])
return {epoch, value}`;

/** Compare-and-extend: PEXPIRE only while the lease still holds our exact value. 1 if extended. */
const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Compare-and-delete; records `released` in the history when ARGV[6] is non-empty. 1 if deleted. */
const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if ARGV[6] ~= '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'event', ARGV[6], 'nodeId', ARGV[2], 'epoch', ARGV[3], 'ts', ARGV[4])
end
return 1`;

type LeaseRedis = Redis & {
  sbLeaderAcquire(leader: string, epochKey: string, history: string, nodeId: string, ttlMs: number, ts: number, maxLen: number, floor: number): Promise<[number, string] | number>;
  sbLeaderRenew(leader: string, value: string, ttlMs: number): Promise<number>;
  sbLeaderRelease(leader: string, history: string, value: string, nodeId: string, epoch: number, ts: number, maxLen: number, event: string): Promise<number>;
};

/** What {@link LeaderLease.onChange} listeners receive. `epoch` is the lease's, gained or given up. */
export interface LeaderChange {
  isLeader: boolean;
  epoch: number;
  nodeId: string;
}

/** Who holds the lease. */
export interface LeaseHolder {
  nodeId: string;
  epoch: number;
}

/** What the lease needs. */
export interface LeaderLeaseDeps {
  /** A command connection (not the subscriber). */
  redis: Redis;
  keys: ClusterKeys;
  nodeId: string;
  /** Lease TTL in ms; renewals and acquisition attempts run every third of it. @default 3000 */
  ttlMs?: number;
  log: Logger;
  /** Postgres, where leader-only writes are fenced by epoch. */
  db: Db;
  /** Clock for deadlines and history timestamps, epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * The cluster's leader lease: `SET leader {nodeId,epoch} NX PX ttl` with `epoch` from `INCR`,
 * renewed by compare-and-extend every ttl/3. Every node competes every ttl/3, and a follower
 * whose attempt finds the lease taken also tries again just after that lease would expire, so a
 * dead leader's lease is taken within ttl + {@link LEADER_EXPIRY_RETRY_MS} and a round trip. A leader that has not renewed by its renew deadline (last
 * successful renewal + ttl - {@link leaderSafetyMarginMs}) steps down on its own timer before the
 * lease can expire, even with Redis unreachable. Changes are appended to the history stream.
 */
export class LeaderLease {
  private readonly ttlMs: number;
  private readonly marginMs: number;
  private readonly now: () => number;
  private readonly redis: LeaseRedis;
  private readonly listeners = new Set<(change: LeaderChange) => void>();
  private held: { epoch: number; value: string } | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> | undefined;
  private competing = false;
  private failing = false;
  /** Highest epoch Postgres's fence has seen, read at start and after a refused write. */
  private epochFloor = 0;

  constructor(private readonly deps: LeaderLeaseDeps) {
    this.ttlMs = deps.ttlMs ?? DEFAULT_LEADER_TTL_MS;
    this.marginMs = leaderSafetyMarginMs(this.ttlMs);
    this.now = deps.now ?? Date.now;
    deps.redis.defineCommand('sbLeaderAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
    deps.redis.defineCommand('sbLeaderRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    deps.redis.defineCommand('sbLeaderRelease', { numberOfKeys: 2, lua: RELEASE_LUA });
    this.redis = deps.redis as LeaseRedis;
  }

  /** Whether this node holds the lease (and is within its renew deadline). */
  get isLeader(): boolean {
    return this.held !== undefined;
  }

  /** The epoch of the lease this node holds; undefined when it is not the leader. */
  get epoch(): number | undefined {
    return this.held?.epoch;
  }

  /** Calls `listener` on every change of this node's leadership; returns the unsubscribe function. */
  onChange(listener: (change: LeaderChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts competing: one attempt at once (awaited), then every ttl/3. Never throws for Redis. */
  async start(): Promise<void> {
    if (this.competing) return;
    this.competing = true;
    await this.refreshEpochFloor();
    clearInterval(this.tickTimer);
    this.tickTimer = setInterval(() => void this.tick(), Math.max(1, Math.floor(this.ttlMs / 3)));
    this.tickTimer.unref();
    await this.tick();
  }

  /** Stops competing and renewing, waits for a round trip in flight, and releases the lease if held. */
  async stop(): Promise<void> {
    this.competing = false;
    clearInterval(this.tickTimer);
    clearTimeout(this.expiryTimer);
    this.tickTimer = undefined;
    await this.inflight;
    await this.release();
  }

  /**
   * Test hook simulating SIGKILL: timers stop, nothing is released or recorded, nobody is told;
   * the lease stays in Redis until its TTL runs out.
   */
  crash(): void {
    this.competing = false;
    clearInterval(this.tickTimer);
    clearTimeout(this.expiryTimer);
    clearTimeout(this.deadlineTimer);
    this.held = undefined;
  }

  /**
   * Gives the lease up at once (drain), deleting it only if it is still ours so the next node
   * need not wait for the TTL, and stops competing for it. Redis errors are logged, not thrown.
   */
  async release(): Promise<void> {
    this.competing = false;
    const held = this.held;
    if (!held) return;
    this.loseLease(held);
    await this.deleteLease(held, 'released').catch((err: unknown) => this.deps.log.warn({ err, epoch: held.epoch }, 'leader lease release failed; it expires by TTL'));
  }

  /** Who holds the lease now, read from Redis; undefined when nobody does. */
  async current(): Promise<LeaseHolder | undefined> {
    return parseLeaderHolder(await this.redis.get(this.deps.keys.leader));
  }

  /**
   * Runs a leader-only write fenced by this node's epoch (see {@link fencedWrite}); refused with
   * `cluster.fence.stale` when this node is not the leader or a newer epoch has written.
   */
  async fenced<T>(name: string, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const epoch = this.held?.epoch;
    if (epoch === undefined) throw new SwitchboardError('cluster.fence.stale', { detail: `name=${name}: ${this.deps.nodeId} is not the leader` });
    try {
      return await fencedWrite(this.deps.db, name, epoch, work);
    } catch (err) {
      // A newer epoch has written: this lease is deposed (or the Redis counter was lost). Step
      // down; the next acquisition starts above what the fence has seen.
      if (err instanceof SwitchboardError && err.id === 'cluster.fence.stale' && this.held?.epoch === epoch) {
        await this.refreshEpochFloor();
        this.stepDown('a newer epoch has written to the fence');
      }
      throw err;
    }
  }

  private async refreshEpochFloor(): Promise<void> {
    try {
      this.epochFloor = Math.max(this.epochFloor, await maxFenceEpoch(this.deps.db));
    } catch (err) {
      this.deps.log.warn({ err }, 'leader lease: could not read the fence epoch; using the last known');
    }
  }

  private tick(): Promise<void> {
    if (this.inflight || !this.competing) return this.inflight ?? Promise.resolve();
    const round = (this.held ? this.renew(this.held) : this.tryAcquire())
      .then(() => this.recovered())
      .catch((err: unknown) => this.failed(err))
      .finally(() => {
        this.inflight = undefined;
      });
    this.inflight = round;
    return round;
  }

  private async tryAcquire(): Promise<void> {
    const { keys, nodeId } = this.deps;
    const sentAt = this.now();
    const result = await this.redis.sbLeaderAcquire(keys.leader, keys.leaderEpoch, keys.leaderHistory, nodeId, this.ttlMs, sentAt, LEADER_HISTORY_MAX_LEN, this.epochFloor);
    if (typeof result === 'number') {
      this.retryAtExpiry(result);
      return;
    }
    const held = { epoch: Number(result[0]), value: result[1] };
    const deadline = sentAt + this.ttlMs - this.marginMs;
    // Stopped meanwhile, or the reply came so late the lease is nearly gone: hand it straight back.
    if (!this.competing || this.now() >= deadline) {
      await this.deleteLease(held, 'released');
      return;
    }
    this.held = held;
    this.armDeadline(deadline);
    this.deps.log.info({ epoch: held.epoch }, 'acquired the leader lease');
    this.emit({ isLeader: true, epoch: held.epoch, nodeId });
    void this.claim(held);
  }

  /**
   * Claims the epoch in Postgres (see {@link claimEpoch}). Refused means another leader already
   * holds this epoch or a newer one: a Redis failover lost the counter's last increments. This
   * node steps down and its next attempt starts above what Postgres has seen. Postgres being
   * unreachable does not cost the lease (fenced writes fail anyway until it is back).
   */
  private async claim(held: { epoch: number; value: string }): Promise<void> {
    let claimed: boolean;
    try {
      claimed = await claimEpoch(this.deps.db, held.epoch);
    } catch (err) {
      this.deps.log.warn({ err, epoch: held.epoch }, 'leader lease: could not claim the epoch in Postgres');
      return;
    }
    if (claimed) return;
    await this.refreshEpochFloor();
    if (this.held === held) this.stepDown('another leader has claimed this epoch or a newer one (the Redis epoch counter went back)');
  }

  /** One more attempt just after the holder's lease would run out (if its holder does not renew it). */
  private retryAtExpiry(pttlMs: number): void {
    if (pttlMs < 0 || !this.competing) return;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => void this.tick(), pttlMs + LEADER_EXPIRY_RETRY_MS);
    this.expiryTimer.unref();
  }

  private async renew(held: { epoch: number; value: string }): Promise<void> {
    const sentAt = this.now();
    const extended = await this.redis.sbLeaderRenew(this.deps.keys.leader, held.value, this.ttlMs);
    if (this.held !== held) return; // stepped down while the reply was on its way
    if (extended === 1) this.armDeadline(sentAt + this.ttlMs - this.marginMs);
    else this.stepDown('the lease is no longer ours');
  }

  private armDeadline(deadline: number): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => this.stepDown('renew deadline passed'), Math.max(0, deadline - this.now()));
    this.deadlineTimer.unref();
  }

  /** Leaves leadership on our own; tells Redis best-effort (the commands may fail or arrive late). */
  private stepDown(reason: string): void {
    const held = this.held;
    if (!held) return;
    this.deps.log.warn({ epoch: held.epoch, reason }, 'stepped down as leader');
    this.loseLease(held);
    const { keys, nodeId } = this.deps;
    void appendLeaderHistory(this.redis, keys, { event: 'stepped_down', nodeId, epoch: held.epoch, ts: this.now() }).catch(() => {});
    // Compare-and-delete: removes the lease only if still ours, so the next leader need not wait.
    void this.deleteLease(held, '').catch(() => {});
  }

  private loseLease(held: { epoch: number }): void {
    this.held = undefined;
    clearTimeout(this.deadlineTimer);
    this.emit({ isLeader: false, epoch: held.epoch, nodeId: this.deps.nodeId });
  }

  private deleteLease(held: { epoch: number; value: string }, event: 'released' | ''): Promise<number> {
    const { keys, nodeId } = this.deps;
    return this.redis.sbLeaderRelease(keys.leader, keys.leaderHistory, held.value, nodeId, held.epoch, this.now(), LEADER_HISTORY_MAX_LEN, event);
  }

  private emit(change: LeaderChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.deps.log.error({ err }, 'leader change listener threw');
      }
    }
  }

  private recovered(): void {
    if (this.failing) this.deps.log.info('leader lease: redis answers again');
    this.failing = false;
  }

  private failed(err: unknown): void {
    // Logged once per outage; a leader's deadline timer steps it down if renewals keep failing.
    if (!this.failing) this.deps.log.warn({ err }, 'leader lease: redis round trip failed');
    this.failing = true;
  }
}

