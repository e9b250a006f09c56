import { createHash } from 'node:crypto';
import { parseRegistryEntry, registryEntrySchema, type ClusterKeys, type NodeConfig, type NodeState, type RegistryEntry } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { redactConfig } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';

/** How often a node rewrites its registry entry, in ms. @default 1000 */
export const DEFAULT_REGISTRY_BEAT_MS = 1_000;

/** How many beats an entry outlives its last write: the default TTL is this times the beat. @default 3 */
export const REGISTRY_TTL_BEATS = 3;

/** Keys read per SCAN step and values per MGET in {@link listNodes}. @default 500 */
export const REGISTRY_SCAN_BATCH = 500;

/** The figures a node supplies at every beat; the registry adds `state` and `lastBeat`. */
export type RegistryFigures = Omit<RegistryEntry, 'state' | 'lastBeat'>;

/** What the registry needs. */
export interface RegistryDeps {
  /** A command connection (not the subscriber). */
  redis: Redis;
  keys: ClusterKeys;
  log: Logger;
  /** Interval between beats, in ms. @default 1000 */
  beatMs?: number;
  /** TTL of each written entry, in ms: a node that stops beating is gone this long after its last beat. @default 3 × beatMs */
  ttlMs?: number;
  /**
   * The node's live figures, called at every beat. A full {@link RegistryEntry} fits too; its
   * `state` and `lastBeat` are replaced by the registry's own.
   */
  entry: () => RegistryFigures;
  /** State of the first beat. @default 'starting' */
  initialState?: NodeState;
  /** Clock for `lastBeat`, epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * This node's heartbeat in the cluster registry: one key per node (`keys.node(id)`) rewritten
 * with its own TTL at every beat, never one shared hash with a single expiry, so a dead node's
 * entry expires while the others live. Redis errors are logged (once per outage), not thrown:
 * the next beat retries.
 */
export class Registry {
  private readonly beatMs: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private current: NodeState;
  private timer: NodeJS.Timeout | undefined;
  private id: string | undefined;
  private failing = false;
  private readonly onReady = () => void this.beat();

  constructor(private readonly deps: RegistryDeps) {
    this.beatMs = deps.beatMs ?? DEFAULT_REGISTRY_BEAT_MS;
    this.ttlMs = deps.ttlMs ?? REGISTRY_TTL_BEATS * this.beatMs;
    this.now = deps.now ?? Date.now;
    this.current = deps.initialState ?? 'starting';
  }

  /** The state this node reports. */
  get state(): NodeState {
    return this.current;
  }

  /**
   * Writes the first beat at once, then beats every `beatMs`. Throws if this node's own entry
   * fails the schema (a bug in `entry()`); Redis being unreachable only logs.
   */
  async start(): Promise<void> {
    const first = this.build();
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.beat(), this.beatMs);
    this.timer.unref();
    // After a reconnect (an outage, a failover that lost the entry or let it expire) beat at once,
    // ahead of the other listeners' commands, so the node is back in the registry before anything else.
    this.deps.redis.off('ready', this.onReady);
    this.deps.redis.prependListener('ready', this.onReady);
    await this.write(first);
  }

  /** Changes the reported state and beats at once, so the cluster sees it without waiting. */
  async setState(state: NodeState): Promise<void> {
    this.current = state;
    await this.beat();
  }

  /** Stops beating and deletes this node's entry, so it leaves the registry at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.deps.redis.off('ready', this.onReady);
    const id = this.id ?? this.deps.entry().id;
    await this.deps.redis.del(this.deps.keys.node(id)).catch((err: unknown) => this.deps.log.warn({ err }, 'registry: could not delete our entry; it expires by TTL'));
  }

  /** Test hook simulating SIGKILL: beats stop, the entry stays until its TTL runs out. */
  crash(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.deps.redis.off('ready', this.onReady);
  }

  private async beat(): Promise<void> {
    let entry: RegistryEntry;
    try {
      entry = this.build();
    } catch (err) {
      this.deps.log.error({ err }, 'registry: our own entry is invalid; beat skipped');
      return;
    }
    await this.write(entry);
  }

  private build(): RegistryEntry {
    return registryEntrySchema.parse({ ...this.deps.entry(), state: this.current, lastBeat: this.now() });
  }

  private async write(entry: RegistryEntry): Promise<void> {
    this.id = entry.id;
    try {
      await this.deps.redis.set(this.deps.keys.node(entry.id), JSON.stringify(entry), 'PX', this.ttlMs);
      if (this.failing) this.deps.log.info('registry: beating again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.deps.log.warn({ err }, 'registry: beat failed; retrying at the next beat');
      this.failing = true;
    }
  }
}

/**
 * Every live node's registry entry, sorted by id: SCAN over `node:*` then MGET. Values that fail
 * the schema (or are not JSON) are skipped and counted in `invalid`; keys that expire between the
 * SCAN and the MGET are simply absent.
 * @example const { nodes, invalid } = await listNodes(redis, keys);
 */
export async function listNodes(redis: Redis, keys: ClusterKeys): Promise<{ nodes: RegistryEntry[]; invalid: number }> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.nodePattern, 'COUNT', REGISTRY_SCAN_BATCH);
    cursor = next;
    for (const key of batch) found.add(key);
  } while (cursor !== '0');
  const all = [...found];
  const nodes: RegistryEntry[] = [];
  let invalid = 0;
  for (let i = 0; i < all.length; i += REGISTRY_SCAN_BATCH) {
    for (const raw of await redis.mget(all.slice(i, i + REGISTRY_SCAN_BATCH))) {
      if (raw === null) continue;
      const entry = parseRegistryEntry(raw);
      if (entry) nodes.push(entry);
      else invalid += 1;
    }
  }
  nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nodes, invalid };
}

/**
 * A short fingerprint of a node's effective configuration: the first 16 hex characters of the
 * SHA-256 of its redacted config (secrets masked) as canonical JSON, without the per-node fields
 * `nodeId` and `listen`, so identically configured nodes agree and a drifted one stands out.
 * @example configHash(config) // '3f9a0c1d2e4b5a67'
 */
export function configHash(config: Readonly<NodeConfig>): string {
  const shared = Object.entries(redactConfig(config))
    .filter(([key]) => key !== 'nodeId' && key !== 'listen')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(Object.fromEntries(shared))).digest('hex').slice(0, 16);
}
