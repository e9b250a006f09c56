import { z } from 'zod';
import { NODE_STATES } from './registry.js';

/**
 * The document `switchboard status --json` prints: the cluster at a glance, one object.
 * @example statusReportSchema.parse(JSON.parse(stdout)).nodes.find((n) => n.is_leader)
 */
export const statusReportSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      host: z.string(),
      state: z.enum(NODE_STATES),
      is_leader: z.boolean(),
      version: z.string(),
      /** Open WebSocket connections on the node. */
      connections: z.number().int().nonnegative(),
      /** Users with at least one socket on the node. */
      usersOnline: z.number().int().nonnegative(),
      /** How long ago the node last beat, ms. */
      lastBeatAgeMs: z.number().int().nonnegative(),
      httpAddress: z.string(),
    }),
  ),
  leader: z.object({ id: z.string(), epoch: z.number().int().positive() }).nullable(),
  redis: z.enum(['ok', 'unreachable']),
  postgres: z.enum(['ok', 'unreachable']),
});

/** The `switchboard status --json` document. */
export type StatusReport = z.infer<typeof statusReportSchema>;
