import { z } from 'zod';

/**
 * What nodes tell each other. A cluster event is either a WebSocket event for clients (its
 * `kind` is the Mattermost event name) or a node-internal notice (`session_revoked`).
 * In standalone mode events travel in-process; clustered, inside the signed bus envelope.
 */

/** WebSocket events a node delivers to its clients. */
export const CLIENT_EVENT_KINDS = [
  'posted',
  'post_edited',
  'post_deleted',
  'typing',
  'status_change',
  'channel_created',
  'user_added',
  'user_removed',
  'added_to_team',
  'direct_added',
  'new_user',
  'multiple_channels_viewed',
] as const;

/** Notices between nodes that no client sees. */
export const INTERNAL_EVENT_KINDS = ['session_revoked'] as const;

export const clientEventKind = z.enum(CLIENT_EVENT_KINDS);
export type ClientEventKind = z.infer<typeof clientEventKind>;

export const broadcastSchema = z.object({
  omit_users: z.record(z.string(), z.boolean()).nullable(),
  user_id: z.string(),
  channel_id: z.string(),
  team_id: z.string(),
});

export const clusterEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: clientEventKind,
    broadcast: broadcastSchema,
    data: z.record(z.string(), z.unknown()),
  }),
  z.object({
    kind: z.literal('session_revoked'),
    broadcast: broadcastSchema,
    data: z.object({ user_id: z.string(), session_ids: z.array(z.string()) }),
  }),
]);

/** One event on the cluster bus. */
export type ClusterEvent = z.infer<typeof clusterEventSchema>;
/** A cluster event that clients receive. */
export type ClientClusterEvent = Extract<ClusterEvent, { kind: ClientEventKind }>;

/** Whether an event is one clients receive (as opposed to a node-internal notice). */
export function isClientEvent(event: ClusterEvent): event is ClientClusterEvent {
  return (CLIENT_EVENT_KINDS as readonly string[]).includes(event.kind);
}

/**
 * A broadcast object with empty defaults, as Mattermost's `NewWebSocketEvent` builds it.
 * @example broadcast({ channel_id: post.channel_id })
 */
export function broadcast(target: Partial<z.infer<typeof broadcastSchema>>): z.infer<typeof broadcastSchema> {
  return { omit_users: null, user_id: '', channel_id: '', team_id: '', ...target };
}
