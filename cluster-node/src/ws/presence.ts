import type { Logger } from '../logging/logger.js';
import type { StatusService } from '../app/statuses.js';

/**
 * Counts each user's open sockets on this node and turns the first connection and the last
 * disconnection into status changes. Status writes run one at a time per user, in order.
 */
export class LocalPresence implements Presence {
  private readonly counts = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly statuses: StatusService,
    private readonly log: Logger,
  ) {}

  opened(userId: string): void {
    const count = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, count);
    if (count === 1) this.enqueue(userId, () => this.statuses.connected(userId));
  }

  closed(userId: string): void {
    const count = (this.counts.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.counts.set(userId, count);
      return;
    }
    this.counts.delete(userId);
    this.enqueue(userId, () => this.statuses.disconnected(userId));
  }

  /** Users with at least one open socket here. */
  get usersOnline(): number {
    return this.counts.size;
  }

  /** Resolves when every queued status write has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private enqueue(userId: string, write: () => Promise<void>): void {
    const previous = this.chains.get(userId) ?? Promise.resolve();
    const next = previous
      .then(write)
      .catch((err: unknown) => this.log.warn({ userId, err }, 'status write failed'))
      .finally(() => {
        if (this.chains.get(userId) === next) this.chains.delete(userId);
      });
    this.chains.set(userId, next);
  }
}

/** What the hub tells presence: sockets opening and closing, per user. */
export interface Presence {
  opened(userId: string): void;
  closed(userId: string): void;
  /** Users with at least one open socket on this node. */
  readonly usersOnline: number;
  /** Resolves when queued status writes have finished. */
  settled(): Promise<void>;
}
