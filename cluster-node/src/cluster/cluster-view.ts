import { hostname } from 'node:os';
import type { NodeConfig, NodeState } from '@switchboard/shared';
import { SERVER_VERSION } from '../http/app.js';
import type { Coordination } from './coordination.js';
import { configHash, listNodes } from './registry.js';
import type { ClusterRuntime } from './runtime.js';

/** One node in `GET /api/v4/cluster/status`: Mattermost's ClusterInfo plus Switchboard's fields. */
export interface ClusterNodeInfo {
  id: string;
  version: string;
  schema_version: string;
  config_hash: string;
  ipaddress: string;
  hostname: string;
  state: NodeState;
  is_leader: boolean;
  leader_epoch: number;
  last_beat: number;
  connections: number;
  users_online: number;
}

/** What the HTTP layer may ask about the cluster. */
export interface ClusterView {
  /** Every live node, from the registry (or this node alone when standalone). */
  nodes(): Promise<ClusterNodeInfo[]>;
}

/** Builds the read-only cluster view the cluster/status route serves. */
export function createClusterView(deps: {
  nodeId: string;
  config: Readonly<NodeConfig>;
  cluster: ClusterRuntime | undefined;
  coordination: Coordination | undefined;
  figures: () => { url: string; schema: string; state: NodeState };
}): ClusterView {
  return {
    async nodes() {
      if (!deps.cluster || !deps.coordination) {
        const { url, schema, state } = deps.figures();
        return [
          {
            id: deps.nodeId,
            version: SERVER_VERSION,
            schema_version: schema,
            config_hash: configHash(deps.config),
            ipaddress: url.replace(/^https?:\/\//, ''),
            hostname: hostname(),
            state,
            is_leader: true,
            leader_epoch: 0,
            last_beat: Date.now(),
            connections: 0,
            users_online: 0,
          },
        ];
      }
      const redis = deps.cluster.redis.commands;
      const [{ nodes }, leader] = await Promise.all([listNodes(redis, deps.cluster.keys), deps.coordination.lease.current()]);
      return nodes.map((node) => ({
        id: node.id,
        version: node.version,
        schema_version: node.schemaVersion,
        config_hash: node.configHash,
        ipaddress: node.httpAddress.replace(/^https?:\/\//, ''),
        hostname: node.host,
        state: node.state,
        is_leader: leader?.nodeId === node.id,
        leader_epoch: leader?.epoch ?? 0,
        last_beat: node.lastBeat,
        connections: node.connections,
        users_online: node.usersOnline,
      }));
    },
  };
}
