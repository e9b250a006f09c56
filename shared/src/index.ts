/**
 * @switchboard/shared: the contracts the cluster node, the console and the renderer agree on.
 * Imports nothing of ours and no Node built-ins, so it runs in every process.
 */
export * from './ids.js';
export * from './errors/catalog.js';
export * from './mattermost/types.js';
export * from './mattermost/requests.js';
export * from './config/node-config.js';
export * from './cluster/events.js';
export * from './config/env.js';
export * from './config/reference.js';
export * from './cluster/keys.js';
export * from './cluster/envelope.js';
export * from './cluster/latency.js';
export * from './cluster/registry.js';
export * from './cluster/leader.js';
export * from './cluster/probe.js';
export * from './cluster/observation.js';
export * from './cluster/inspection.js';
export * from './cluster/status-report.js';
export * from './config/profile.js';
export * from './ipc/wire.js';
export * from './ipc/contract.js';
export * from './ipc/client.js';
export * from './ipc/frame-transport.js';
export * from './ipc/web-bridge-client.js';
export * from './ipc/schemas/common.js';
export * from './ipc/schemas/cluster.js';
export * from './ipc/schemas/hosts.js';
export * from './ipc/schemas/profiles.js';
export * from './drills/scenario.js';
export * from './drills/report.js';
export * from './drills/events.js';
export * from './balancer/haproxy-config.js';
export * from './ipc/schemas/drills.js';
