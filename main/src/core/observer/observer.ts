import {
  clusterKeys,
  SwitchboardError,
  type ClusterKeys,
  type ClusterSnapshot,
  type ObserverUpdate,
  type PresenceUserPage,
  type PresenceUsersQuery,
  type ProbeResult,
  type RecentEvents,
  type RecentEventsQuery,
  type RedisReachability,
} from '@switchboard/shared';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BusFeed } from './bus-feed.js';
import { readClusterState, type ClusterState } from './cluster-reads.js';
import { readRecentEvents } from './event-reader.js';
import { readPresenceUsers, type LookupUsers } from './presence-users.js';
import { ProbeRunner } from './probe.js';
import { openRedis, untilReadyOrFailed, type RedisTarget } from './redis-target.js';
import { diffSnapshot } from './snapshot-diff.js';
import { UpdateThrottle } from './update-throttle.js';

/** How often the registry, leader, presence and latency are read while live, ms. @default 500 */
export const OBSERVER_POLL_MS = 500;

/** Leadership changes a snapshot carries (the latest). @default 20 */
export const OBSERVER_HISTORY_COUNT = 20;

/** What a {@link ClusterObserver} needs. */
export interface ClusterObserverDeps {
  /** Where Redis is (see redisTargetFromProfile). */
  redis: RedisTarget;
  /** The cluster name (profile `cluster`): the key prefix. */
  cluster: string;
  log: Logger;
  /** The console's clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** The cluster secret: when given, bus envelopes are verified; else shown as unverified. */
  clusterSecret?: string;
  /** Usernames for the online-user list (the Postgres inspector's `lookupUsers`). */
  lookupUsers?: LookupUsers;
  /** @default OBSERVER_POLL_MS (500) */
  pollMs?: number;
  /** @default OBSERVER_HISTORY_COUNT (20) */
  historyCount?: number;
  /** Shortest time between live updates, ms. @default OBSERVER_UPDATE_INTERVAL_MS (250) */
  updateIntervalMs?: number;
}

/** Where and how to probe; the nodes come from the registry. */
export interface ObserverProbeOptions {
  token: string;
  channelId: string;
  /** Post through this URL (the profile's apiUrl) instead of a node. */
  apiUrl?: string;
  /** Post through this node. @default the first active node */
  via?: string;
  /** @default PROBE_DELIVERY_TIMEOUT_MS (5000) */
  timeoutMs?: number;
}

type Listener = (update: ObserverUpdate) => void;

/**
 * The console's view of a cluster through Redis: registry, leader and history, presence, latency,
 * event rates and the raw event stream, plus the end-to-end probe. Read-only: it never writes a
 * key. `snapshot()` works on its own; `start()` adds the live side (bus subscription, polling
 * every `pollMs`) behind `subscribe()`. Through a Redis outage it reports `unreachable`, keeps
 * the last figures (`asOf` says how old), retries with backoff and recovers by itself.
 */
export class ClusterObserver {
  private readonly keys: ClusterKeys;
  private readonly clock: () => number;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly feed: BusFeed;
  private readonly throttle: UpdateThrottle;
  private readonly probes = new ProbeRunner();
  private readonly listeners = new Map<Listener, { lastSent: ClusterSnapshot }>();
  private state: ClusterState | undefined;
  private asOf: number | null = null;
  private reachability: RedisReachability = 'unreachable';
  private lastProbe: ProbeResult | null = null;
  private inflight: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(private readonly deps: ClusterObserverDeps) {
    this.keys = clusterKeys(deps.cluster);
    this.clock = deps.clock ?? Date.now;
    this.commands = openRedis(deps.redis, 'commands', 'switchboard-console:observer');
    this.subscriber = openRedis(deps.redis, 'subscriber', 'switchboard-console:observer-bus');
    this.throttle = new UpdateThrottle(() => this.flush(), deps.updateIntervalMs);
    this.feed = new BusFeed({ subscriber: this.subscriber, keys: this.keys, secret: deps.clusterSecret, now: this.clock, onActivity: () => this.throttle.mark() });
    // A lost connection is news at once, not at the next poll; a regained one is read at once.
    this.commands.on('close', () => this.setReachability('unreachable'));
    this.commands.on('ready', () => void this.refresh());
  }

  /** Starts the live side: subscribes to the bus and polls every `pollMs`. Never throws for Redis. */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect(this.subscriber);
    this.feed.start();
    await this.refresh();
    this.schedulePoll();
  }

  /** The cluster now: reads Redis afresh (`redis: 'unreachable'` and the last figures when it cannot). */
  async snapshot(): Promise<ClusterSnapshot> {
    await this.refresh();
    return this.build();
  }

  /** A page of the users online. Throws `console.invalid_argument` or `redis.unreachable`. */
  presenceUsers(query: PresenceUsersQuery = {}): Promise<PresenceUserPage> {
    return this.withRedis(() => readPresenceUsers(this.commands, this.keys, query, this.deps.lookupUsers));
  }

  /** Recent events of the stream, newest first. Throws `console.invalid_argument` or `redis.unreachable`. */
  recentEvents(query: RecentEventsQuery = {}): Promise<RecentEvents> {
    return this.withRedis(() => readRecentEvents(this.commands, this.keys, query, this.deps.clusterSecret));
  }

  /**
   * Calls `listener` with a full snapshot at once, then with deltas (changed fields and new bus
   * events) at most every `updateIntervalMs`. Starts the live side if needed. Returns the
   * unsubscribe function.
   */
  subscribe(listener: Listener): () => void {
    void this.start();
    const snapshot = this.build();
    this.listeners.set(listener, { lastSent: snapshot });
    this.deliver(listener, { type: 'snapshot', snapshot });
    return () => this.listeners.delete(listener);
  }

  /** Runs one end-to-end probe over the registry's active nodes; the result also goes to listeners. */
  async probe(options: ObserverProbeOptions): Promise<ProbeResult> {
    if (!this.state) await this.refresh();
    const nodes = (this.state?.nodes ?? []).filter((node) => node.state === 'active').map((node) => ({ nodeId: node.id, url: node.httpAddress }));
    const result = await this.probes.run({ ...options, nodes });
    this.lastProbe = result;
    this.throttle.mark();
    return result;
  }

  /** Probes every `intervalMs` until {@link ClusterObserver.stopProbe} or close; failures are logged. */
  startProbe(options: ObserverProbeOptions & { intervalMs: number }): void {
    if (!Number.isInteger(options.intervalMs) || options.intervalMs < 100) {
      throw new SwitchboardError('console.invalid_argument', { detail: 'startProbe: intervalMs must be an integer of at least 100' });
    }
    this.stopProbe();
    const tick = () => {
      this.probe(options)
        .catch((err: unknown) => this.deps.log.warn({ err }, 'observer: probe failed'))
        .finally(() => {
          if (this.probeTimer !== undefined && !this.closed) this.probeTimer = setTimeout(tick, options.intervalMs);
        });
    };
    this.probeTimer = setTimeout(tick, 0);
  }

  /** Stops periodic probing. */
  stopProbe(): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /** Messages of every probe post made so far, oldest first (for the inspector's consistency check). */
  probeMessages(): string[] {
    return this.probes.postedMessages();
  }

  /** Stops everything and closes every connection and probe socket. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe();
    clearTimeout(this.pollTimer);
    this.throttle.close();
    this.feed.stop();
    this.probes.close();
    this.listeners.clear();
    // Disconnect first: a poll waiting on a connection that never gets ready ends with it.
    this.commands.disconnect();
    this.subscriber.disconnect();
    await this.inflight;
  }

  private connect(redis: Redis): void {
    if (redis.status === 'wait') redis.connect().catch(() => {});
  }

  /**
   * Opens the command connection if it is not yet, and waits for a first connection on its way
   * (at most one connect timeout). A connection lost later is not waited for: commands fail fast.
   */
  private async commandsReady(): Promise<void> {
    this.connect(this.commands);
    if (this.commands.status === 'connecting' || this.commands.status === 'connect') await untilReadyOrFailed(this.commands);
  }

  private async withRedis<T>(work: () => Promise<T>): Promise<T> {
    await this.commandsReady();
    try {
      return await work();
    } catch (err) {
      if (err instanceof SwitchboardError) throw err;
      throw new SwitchboardError('redis.unreachable', { detail: (err as Error).message, cause: err });
    }
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => void this.refresh().finally(() => this.schedulePoll()), this.deps.pollMs ?? OBSERVER_POLL_MS);
  }

  /** One read of Redis, shared by concurrent callers. */
  private refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.inflight ??= this.poll().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async poll(): Promise<void> {
    await this.commandsReady();
    try {
      this.state = await readClusterState(this.commands, this.keys, this.deps.historyCount ?? OBSERVER_HISTORY_COUNT);
      this.asOf = this.clock();
      this.setReachability('ok');
    } catch (err) {
      if (this.reachability === 'ok' || this.asOf === null) this.deps.log.warn({ err }, 'observer: redis unreachable; retrying');
      this.setReachability('unreachable');
    }
    this.throttle.mark();
  }

  private setReachability(next: RedisReachability): void {
    if (next === this.reachability) return;
    if (next === 'ok' && this.asOf !== null) this.deps.log.info('observer: redis reachable again');
    this.reachability = next;
    this.throttle.mark();
  }

  private build(): ClusterSnapshot {
    const state = this.state;
    return {
      cluster: this.deps.cluster,
      at: this.clock(),
      redis: this.reachability,
      asOf: this.asOf,
      nodes: state?.nodes ?? [],
      leader: state?.leader ?? null,
      leaderHistory: state?.leaderHistory ?? [],
      presence: state?.presence ?? { usersOnline: 0, connections: 0, perNode: [] },
      latency: state?.latency ?? [],
      eventRates: this.feed.rates(),
      probe: this.lastProbe,
    };
  }

  /** Sends each listener what changed since what it last got, with the bus events since the last flush. */
  private flush(): void {
    const { events, dropped } = this.feed.take();
    if (this.listeners.size === 0) return;
    const snapshot = this.build();
    for (const [listener, entry] of this.listeners) {
      const changes = diffSnapshot(entry.lastSent, snapshot);
      if (Object.keys(changes).length === 0 && events.length === 0 && dropped === 0) continue;
      entry.lastSent = snapshot;
      this.deliver(listener, { type: 'delta', at: snapshot.at, changes, events, eventsDropped: dropped });
    }
  }

  private deliver(listener: Listener, update: ObserverUpdate): void {
    try {
      listener(update);
    } catch (err) {
      this.deps.log.error({ err }, 'observer: listener threw');
    }
  }
}
