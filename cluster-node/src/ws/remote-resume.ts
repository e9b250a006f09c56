import { isClientEvent, type ClientClusterEvent, type ClusterKeys, type Envelope } from '@switchboard/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { compareStreamIds } from '../cluster/dedupe.js';
import { Connection, RESUME_WINDOW_MS } from './connection.js';
import { receives, type Recipients } from './recipients.js';

/**
 * How often connection checkpoints are written; each is one interval behind what was sent, so a
 * client has almost surely received everything a checkpoint claims.
 * @default 250
 */
export const CHECKPOINT_MS = 250;

/** The stream position before any entry. */
export const STREAM_START = '0-0';

const checkpointSchema = z.object({
  connectionId: z.string().regex(/^[a-z0-9]{26}$/),
  userId: z.string().regex(/^[a-z0-9]{26}$/),
  nextSeq: z.number().int().nonnegative(),
  streamId: z.string().regex(/^\d+-\d+$/),
  nodeId: z.string(),
});

/** Where a connection stood: seqs below `nextSeq` cover the stream up to `streamId`. */
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** Reads the cluster event stream (the Redis bus implements it). */
export interface StreamSource {
  readStream(fromExclusive: string, toInclusive: string, count: number): Promise<Array<{ streamId: string; envelope: Envelope }>>;
  oldestStreamId(): Promise<string | undefined>;
  /** The stream id before which a Redis failover rewrote the stream, if one did lately. */
  rewrittenBefore?(): Promise<string | undefined>;
}

/** Connection checkpoints in Redis, one key each with the resume window as TTL. */
export class RedisCheckpoints {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
  ) {}

  async write(checkpoints: readonly Checkpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const checkpoint of checkpoints) pipeline.set(this.keys.connection(checkpoint.connectionId), JSON.stringify(checkpoint), 'PX', RESUME_WINDOW_MS);
    await pipeline.exec();
  }

  /** Deletes connections' checkpoints, so nobody can resume them (they must backfill). */
  async remove(connectionIds: readonly string[]): Promise<void> {
    if (connectionIds.length === 0) return;
    await this.redis.del(...connectionIds.map((id) => this.keys.connection(id)));
  }

  /** The checkpoint of a connection, if one is there and well-formed. */
  async read(connectionId: string): Promise<Checkpoint | undefined> {
    const raw = await this.redis.get(this.keys.connection(connectionId));
    if (!raw) return undefined;
    try {
      const parsed = checkpointSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Why a remote resume could not be done (the client then gets a new hello and backfills). */
export type ResumeRefusal = 'no_checkpoint' | 'other_user' | 'client_behind_checkpoint' | 'stream_trimmed' | 'stream_rewritten' | 'client_ahead' | 'too_far_behind';

/**
 * Rebuilds a connection that lived on another node: reads the stream from its checkpoint up to
 * `upTo` (what this node's hub has delivered), recomputes which events the user receives, and
 * numbers them on from the checkpoint's seq. Membership is taken as it is now.
 */
export async function rebuildConnection(input: {
  checkpoint: Checkpoint | undefined;
  userId: string;
  sessionId: string;
  sequence: number;
  upTo: string;
  source: StreamSource;
  recipients: Recipients;
  eventPrefix: (event: ClientClusterEvent) => string;
}): Promise<Connection | ResumeRefusal> {
  const { checkpoint, sequence } = input;
  if (!checkpoint) return 'no_checkpoint';
  if (checkpoint.userId !== input.userId) return 'other_user';
  if (sequence < checkpoint.nextSeq) return 'client_behind_checkpoint';
  const oldest = await input.source.oldestStreamId();
  if (oldest && checkpoint.streamId !== STREAM_START && compareStreamIds(oldest, checkpoint.streamId) > 0) return 'stream_trimmed';
  // A failover lost entries the client may have had, and some came back further on: numbering the
  // stream again from this checkpoint would not give the client's sequence. It backfills instead.
  const rewritten = await input.source.rewrittenBefore?.();
  if (rewritten && compareStreamIds(checkpoint.streamId, rewritten) < 0) return 'stream_rewritten';
  const connection = new Connection(checkpoint.connectionId, input.userId, input.sessionId, { nextSeq: checkpoint.nextSeq, streamId: checkpoint.streamId });
  let from = checkpoint.streamId;
  // The live bus drops an envelope id it has seen (a post announced again after a retry); so must the replay.
  const seen = new Set<string>();
  while (compareStreamIds(from, input.upTo) < 0) {
    const batch = await input.source.readStream(from, input.upTo, 500);
    if (batch.length === 0) break;
    for (const { streamId, envelope } of batch) {
      from = streamId;
      if (seen.has(envelope.id)) continue;
      seen.add(envelope.id);
      if (!isClientEvent(envelope)) continue;
      const users = await input.recipients.resolve(envelope);
      if (receives(users, input.userId, envelope.broadcast.omit_users)) connection.sendEvent(input.eventPrefix(envelope), streamId);
    }
  }
  if (sequence > connection.position.nextSeq) return 'client_ahead';
  if (!connection.canResumeFrom(sequence)) return 'too_far_behind';
  return connection;
}
