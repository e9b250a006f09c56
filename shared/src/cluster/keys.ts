/**
 * Redis key builders. Every key of a cluster starts with `sb:{cluster}:` so several clusters can
 * share one Redis; nothing else in the code base spells a key out.
 * @example clusterKeys('prod').node('n1') === 'sb:prod:node:n1'
 */
export function clusterKeys(cluster: string) {
  const prefix = `sb:${cluster}:`;
  return {
    prefix,
    /** Pub/sub channel carrying signed envelopes (each prefixed with its stream id). */
    bus: `${prefix}bus`,
    /** Capped stream holding the same envelopes, for gap repair and client resume. */
    stream: `${prefix}stream`,
    /**
     * Stream id up to which the stream was rewritten by a Redis failover (entries lost, some
     * published again further on): resume checkpoints before it are refused (with a TTL).
     */
    streamRewritten: `${prefix}stream:rewritten`,
    /** Registry entry of one node (JSON, with its own TTL). */
    node: (nodeId: string) => `${prefix}node:${nodeId}`,
    /** Pattern matching every registry entry. */
    nodePattern: `${prefix}node:*`,
    /** The leader lease: `{nodeId, epoch}` with a TTL. */
    leader: `${prefix}leader`,
    /** Counter incremented on every acquisition: the fencing epoch. */
    leaderEpoch: `${prefix}leader:epoch`,
    /** Stream of leadership changes (acquired, released, lost), read by the console. */
    leaderHistory: `${prefix}leader:history`,
    /** Hash userId -> open sockets of that user on one node. */
    presenceNode: (nodeId: string) => `${prefix}presence:node:${nodeId}`,
    /** Hash userId -> open sockets of that user in the whole cluster. */
    presenceUsers: `${prefix}presence:users`,
    /** Pattern matching every node's presence hash. */
    presenceNodePattern: `${prefix}presence:node:*`,
    /** Latest per-second latency summary published by one node (JSON, with a TTL). */
    latency: (nodeId: string) => `${prefix}latency:${nodeId}`,
    /** Marks an envelope id published with a fixed id, so it is announced at most once (with a TTL). */
    announced: (envelopeId: string) => `${prefix}announced:${envelopeId}`,
    /** Resume checkpoint of one client connection (JSON, with a TTL). */
    connection: (connectionId: string) => `${prefix}conn:${connectionId}`,
  };
}

/** The key set of one cluster. */
export type ClusterKeys = ReturnType<typeof clusterKeys>;
