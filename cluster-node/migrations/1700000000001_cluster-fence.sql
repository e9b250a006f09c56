-- Up Migration
-- Fencing for leader-only writes: one row per singleton job, holding the highest leader epoch
-- that has written. A write carrying a lower epoch (a deposed leader) is refused; see
-- cluster-node/src/store/fence.store.ts.
CREATE TABLE cluster_fence (
  name       text PRIMARY KEY,
  epoch      bigint NOT NULL,
  updated_at bigint NOT NULL
);

-- Down Migration
DROP TABLE cluster_fence;
