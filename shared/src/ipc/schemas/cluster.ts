import { z } from 'zod';
import { leaderHolderSchema } from '../../cluster/leader.js';
import { epochMsSchema, registryNodeIdSchema } from './common.js';

/**
 * The `cluster.*` shapes the observer's own schemas (shared/src/cluster/observation.ts, probe.ts)
 * do not already give: the probe's arguments and the leader-change event.
 */

/** `cluster.probe` input: post through node `via` (or the profile's apiUrl) and time it everywhere else. */
export const probeInputSchema = z
  .object({
    via: registryNodeIdSchema.optional(),
    /** How long to wait for every node to see the post, ms. */
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  })
  .strict();

/** `cluster.onDidChangeLeader`: the lease changed hands or was lost (`current` null). */
export const leaderChangeSchema = z.object({
  at: epochMsSchema,
  previous: leaderHolderSchema.nullable(),
  current: leaderHolderSchema.nullable(),
});

/** A `cluster.probe` argument object. */
export type ProbeInput = z.infer<typeof probeInputSchema>;
/** A `cluster.onDidChangeLeader` payload. */
export type LeaderChange = z.infer<typeof leaderChangeSchema>;
