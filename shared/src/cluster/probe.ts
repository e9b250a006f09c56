import { z } from 'zod';

/**
 * The end-to-end probe: a post made through one node's API, timed until a WebSocket client on
 * each node sees it as `posted`. Its user, team and channel are fixed names, so the Postgres
 * inspector finds the probe's posts without being told where they went.
 */

/** Username of the probe's account. */
export const PROBE_USERNAME = 'probe';
/** Name of the team holding the probe channel. */
export const PROBE_TEAM_NAME = 'switchboard-probe';
/** Name of the channel the probe posts into. */
export const PROBE_CHANNEL_NAME = 'probe';

/** How one node did in one probe. */
export const probeNodeResultSchema = z.object({
  nodeId: z.string().min(1),
  /** Where the probe's WebSocket connected. */
  url: z.string(),
  /** From sending the post to this node's client seeing it, ms; null when it did not. */
  latencyMs: z.number().nonnegative().nullable(),
  /** Why the node has no figure (connection refused, timed out…); null when it has one. */
  error: z.string().nullable(),
});

/** One probe: a post through `via`, seen (or not) on each node. */
export const probeResultSchema = z.object({
  /** The probe's own id, also inside its message. */
  id: z.string().min(1),
  /** The message posted (what the consistency check looks for in Postgres). */
  message: z.string().min(1),
  /** When the post was sent, epoch ms. */
  at: z.number().int().nonnegative(),
  /** The API the post went through (a node's address or the profile's apiUrl). */
  via: z.string(),
  /** The HTTP round trip of the post, ms; null when it failed. */
  postMs: z.number().nonnegative().nullable(),
  /** Whether the post was accepted and every node saw it. */
  ok: z.boolean(),
  /** Why the probe failed as a whole (the post refused…); null otherwise. */
  error: z.string().nullable(),
  nodes: z.array(probeNodeResultSchema),
});

/** How one node did in one probe. */
export type ProbeNodeResult = z.infer<typeof probeNodeResultSchema>;
/** One probe's result. */
export type ProbeResult = z.infer<typeof probeResultSchema>;
