import { clusterKeys, type ClusterKeys } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { readClusterState } from '../observer/cluster-reads.js';

/** How often the drill reads the registry and the leader, ms. @default 250 */
export const DRILL_WATCH_MS = 250;

/** A node's health as the drill sees it. */
export type NodeHealth = 'active' | 'draining' | 'starting' | 'down';

/** A change the watch noticed. */
export interface WatchMark {
  at: number;
  kind: 'node-gone' | 'node-back' | 'leader-lost' | 'new-leader';
  node?: string;
  detail: string;
}

/** What the watch needs. */
export interface ClusterWatchDeps {
  redis: Redis;
  cluster: string;
  /** Nodes the drill killed or stopped and has not started again: a lease they hold is dead. */
  isStopped: (nodeId: string) => boolean;
  onMark: (mark: WatchMark) => void;
  now?: () => number;
  intervalMs?: number;
}

/**
 * Reads the registry and the leader lease every {@link DRILL_WATCH_MS} ms and keeps what the
 * drill judges on: each node's health, the live leader (null while there is none, while the
 * holder is a node the drill stopped, or while Redis cannot be read), time without a leader,
 * and marks for the timeline (node gone, node back, leader lost, new leader).
 */
export class ClusterWatch {
  readonly #keys: ClusterKeys;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #health = new Map<string, NodeHealth>();
  #httpAddress = new Map<string, string>();
  #leader: string | null = null;
  #leaderlessSince: number | null = null;
  #longestLeaderless = { ms: 0, from: null as number | null };
  #totalLeaderlessMs = 0;
  #leaderChanges = 0;
  #reachable = false;
  #known = new Set<string>();
  #polling: Promise<void> | undefined;
  #stopped = false;

  constructor(private readonly deps: ClusterWatchDeps) {
    this.#keys = clusterKeys(deps.cluster);
    this.#now = deps.now ?? Date.now;
  }

  /** Reads once (so the first figures are there), then keeps reading. */
  async start(): Promise<void> {
    await this.poll();
    const tick = () => {
      this.#timer = setTimeout(() => void this.poll().finally(() => !this.#stopped && tick()), this.deps.intervalMs ?? DRILL_WATCH_MS);
    };
    tick();
  }

  /** One read now (shared by concurrent callers). */
  poll(): Promise<void> {
    this.#polling ??= this.#read().finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  /** The live leader, or null. */
  get leader(): string | null {
    return this.#leader;
  }

  /** Whether the last read of Redis worked. */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** Every node seen since the start, with its health now. */
  health(): Map<string, NodeHealth> {
    return new Map(this.#health);
  }

  /** Active node ids, sorted. */
  active(): string[] {
    return [...this.#health].filter(([, health]) => health === 'active').map(([id]) => id).sort();
  }

  /** A node's API address from its registry entry. */
  httpAddress(nodeId: string): string | undefined {
    return this.#httpAddress.get(nodeId);
  }

  /** Time without a live leader so far: the longest stretch (and when it began) and the total. */
  leadership(): { longestLeaderlessMs: number; longestLeaderlessFrom: number | null; totalLeaderlessMs: number; leaderChanges: number } {
    const now = this.#now();
    let longest = this.#longestLeaderless;
    let total = this.#totalLeaderlessMs;
    if (this.#leaderlessSince !== null) {
      const current = now - this.#leaderlessSince;
      total += current;
      if (current > longest.ms) longest = { ms: current, from: this.#leaderlessSince };
    }
    return { longestLeaderlessMs: longest.ms, longestLeaderlessFrom: longest.from, totalLeaderlessMs: total, leaderChanges: this.#leaderChanges };
  }

  /** Starts counting time without a leader from `at` (the leader was just killed). */
  leaderKilled(at: number): void {
    if (this.#leaderlessSince !== null || this.#leader === null) return;
    this.deps.onMark({ at, kind: 'leader-lost', ...(this.#leader ? { node: this.#leader } : {}), detail: `leader ${this.#leader} was stopped by the drill` });
    this.#leader = null;
    this.#leaderlessSince = at;
  }

  /** Stops reading. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #read(): Promise<void> {
    const at = this.#now();
    let leader: string | null = null;
    try {
      const state = await readClusterState(this.deps.redis, this.#keys, 1);
      this.#reachable = true;
      const seen = new Map(state.nodes.map((node) => [node.id, node]));
      for (const node of state.nodes) {
        this.#httpAddress.set(node.id, node.httpAddress);
        if (!this.#known.has(node.id)) this.#known.add(node.id);
      }
      for (const id of this.#known) {
        const entry = seen.get(id);
        const next: NodeHealth = entry ? (entry.state as NodeHealth) : 'down';
        const previous = this.#health.get(id);
        if (previous !== undefined && previous !== 'down' && next === 'down') this.deps.onMark({ at, kind: 'node-gone', node: id, detail: `${id} left the registry` });
        if (previous === 'down' && next !== 'down') this.deps.onMark({ at, kind: 'node-back', node: id, detail: `${id} is back in the registry (${next})` });
        this.#health.set(id, next);
      }
      const holder = state.leader?.nodeId ?? null;
      leader = holder !== null && !this.deps.isStopped(holder) && seen.has(holder) ? holder : null;
    } catch {
      this.#reachable = false;
    }
    this.#setLeader(leader, at);
  }

  #setLeader(leader: string | null, at: number): void {
    if (leader === this.#leader) return;
    if (leader === null) {
      this.deps.onMark({ at, kind: 'leader-lost', ...(this.#leader ? { node: this.#leader } : {}), detail: this.#reachable ? `no live leader (was ${this.#leader})` : 'Redis unreachable: no leader can be seen' });
      this.#leaderlessSince = at;
    } else {
      if (this.#leaderlessSince !== null) {
        const ms = at - this.#leaderlessSince;
        this.#totalLeaderlessMs += ms;
        if (ms > this.#longestLeaderless.ms) this.#longestLeaderless = { ms, from: this.#leaderlessSince };
        this.#leaderlessSince = null;
      }
      if (this.#leader !== null || this.#leaderChanges > 0 || this.#longestLeaderless.from !== null) {
        this.#leaderChanges += 1;
        this.deps.onMark({ at, kind: 'new-leader', node: leader, detail: `${leader} leads` });
      }
    }
    this.#leader = leader;
  }
}
