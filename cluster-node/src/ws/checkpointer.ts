import type { Logger } from '../logging/logger.js';
import type { Connection, ConnectionPosition } from './connection.js';
import { STREAM_START, type Checkpoint, type RedisCheckpoints } from './remote-resume.js';

/**
 * Writes connection checkpoints for cross-node resume. Each tick writes, for every attached
 * connection, the position captured one tick before (so the client has almost surely received all
 * a checkpoint claims) and captures the current one. A connection whose socket went away gets its
 * last snapshot written once and is then left alone: events it collects while detached are not
 * the client's.
 */
export class Checkpointer {
  constructor(
    private readonly deps: { store: Pick<RedisCheckpoints, 'write'>; nodeId: string; log: Logger },
    private readonly connections: ReadonlyMap<string, Connection>,
  ) {}

  /** One checkpoint tick (every CHECKPOINT_MS). */
  async tick(): Promise<void> {
    const due: Checkpoint[] = [];
    for (const connection of this.connections.values()) {
      if (connection.snapshot) due.push(this.of(connection, connection.snapshot));
      connection.snapshot = connection.attached && connection.dirty ? connection.position : undefined;
      connection.dirty = false;
    }
    await this.write(due);
  }

  /**
   * After a drain closed every socket gracefully each client has exactly what was sent: writes
   * those exact positions so resume elsewhere replays from precisely there.
   */
  async flushFrozen(): Promise<void> {
    await this.write([...this.connections.values()].filter((c) => c.frozen).map((c) => this.of(c, c.frozen!)));
  }

  private of(connection: Connection, position: ConnectionPosition): Checkpoint {
    return { connectionId: connection.id, userId: connection.userId, nextSeq: position.nextSeq, streamId: position.streamId ?? STREAM_START, nodeId: this.deps.nodeId };
  }

  private async write(due: Checkpoint[]): Promise<void> {
    if (due.length === 0) return;
    try {
      await this.deps.store.write(due);
    } catch (err) {
      this.deps.log.warn({ err, count: due.length }, 'checkpoint write failed');
    }
  }
}
