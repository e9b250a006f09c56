import { SwitchboardError } from '@switchboard/shared';
import type { Db, Queryable } from './db.js';

/** The fence row where each newly acquired lease claims its epoch. */
export const LEADER_CLAIM = 'leader-claim';

/**
 * Claims `epoch` for a lease just acquired: true only if no leader has claimed this epoch or a
 * higher one. Redis replicates asynchronously, so a failover can lose the last INCR of the epoch
 * counter and hand the same epoch to a second leader; the second claim is refused here and that
 * leader steps down. Once claimed, fenced writes of lower epochs are refused under every name.
 * @example if (!(await claimEpoch(db, 7))) stepDown();
 */
export async function claimEpoch(db: Queryable, epoch: number): Promise<boolean> {
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new RangeError(`claimEpoch: epoch must be a positive integer, got ${epoch}`);
  const { rows } = await db.query(
    `INSERT INTO cluster_fence (name, epoch, updated_at)
     VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
     ON CONFLICT (name) DO UPDATE SET epoch = EXCLUDED.epoch, updated_at = EXCLUDED.updated_at
       WHERE cluster_fence.epoch < EXCLUDED.epoch
     RETURNING epoch`,
    [LEADER_CLAIM, epoch],
  );
  return rows.length > 0;
}

/**
 * Runs a leader-only write under a fencing epoch, in one transaction: the fence row `name` is
 * raised to `epoch` unless it already holds a higher one, and only then does `work` run, in the
 * same transaction. Redis cannot fence (a paused leader's lease may expire and be taken while it
 * still believes it leads), so Postgres does: a deposed leader's write is refused here with
 * `cluster.fence.stale` and changes nothing, as is any write below the last claimed epoch
 * ({@link claimEpoch}). The fence row stays locked until commit, so two
 * leaders' writes under one name never interleave.
 * @example await fencedWrite(db, 'presence-reaper', lease.epoch, (tx) => tx.query('DELETE ...'));
 */
export async function fencedWrite<T>(db: Db, name: string, epoch: number, work: (tx: Queryable) => Promise<T>): Promise<T> {
  if (name.length === 0) throw new RangeError('fencedWrite: name must not be empty');
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new RangeError(`fencedWrite: epoch must be a positive integer, got ${epoch}`);
  return db.transaction(async (tx) => {
    // A newer leader has claimed its epoch: this one is deposed, whatever the name's row says.
    const claimed = await tx.query<{ epoch: string }>('SELECT epoch FROM cluster_fence WHERE name = $1 FOR SHARE', [LEADER_CLAIM]);
    if (claimed.rows[0] && Number(claimed.rows[0].epoch) > epoch) {
      throw new SwitchboardError('cluster.fence.stale', { detail: `name=${name} epoch=${epoch} claimed=${claimed.rows[0].epoch}` });
    }
    const { rows } = await tx.query<{ epoch: string }>(
      `INSERT INTO cluster_fence (name, epoch, updated_at)
       VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
       ON CONFLICT (name) DO UPDATE SET epoch = EXCLUDED.epoch, updated_at = EXCLUDED.updated_at
         WHERE cluster_fence.epoch <= EXCLUDED.epoch
       RETURNING epoch`,
      [name, epoch],
    );
    if (rows.length === 0) throw new SwitchboardError('cluster.fence.stale', { detail: `name=${name} epoch=${epoch}` });
    return work(tx);
  });
}

/** The highest epoch that has written under `name`, or undefined if none has. */
export async function getFenceEpoch(db: Queryable, name: string): Promise<number | undefined> {
  const { rows } = await db.query<{ epoch: string }>('SELECT epoch FROM cluster_fence WHERE name = $1', [name]);
  return rows[0] ? Number(rows[0].epoch) : undefined;
}

/** The highest epoch any fenced write has carried (0 if none): a floor for the Redis epoch counter. */
export async function maxFenceEpoch(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ epoch: string }>('SELECT coalesce(max(epoch), 0) AS epoch FROM cluster_fence');
  return Number(rows[0]?.epoch ?? 0);
}
