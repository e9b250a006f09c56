// The two systems under test, behind one shape: three Switchboard nodes from the built bin, or
// three Socket.IO servers with the Redis adapter. Scenarios only see `target`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newId } from '@switchboard/shared';
import { freePort, spawnServer } from './procs.mjs';
import { connectRedis, deleteKeys, REDIS_URL } from './services.mjs';

/**
 * The built `switchboard-node` bin (`npx tsc -b shared cluster-node` first). SB_BENCH_NODE_BIN
 * names another build's bin, to compare two builds of the node (before and after a change).
 */
export const NODE_BIN = process.env.SB_BENCH_NODE_BIN || fileURLToPath(new URL('../../cluster-node/bin/switchboard-node.js', import.meta.url));
const SOCKETIO_SERVER = fileURLToPath(new URL('../socketio-server.mjs', import.meta.url));

function nodeEnv({ databaseUrl, cluster, secret, port, index, leaderTtlMs }) {
  return {
    PATH: process.env.PATH ?? '',
    SB_DATABASE_URL: databaseUrl,
    SB_REDIS_URL: REDIS_URL,
    SB_CLUSTER: cluster,
    SB_CLUSTER_SECRET: secret,
    SB_NODE_ID: `${cluster}-n${index}`,
    SB_LISTEN: `127.0.0.1:${port}`,
    SB_LOG_LEVEL: 'warn',
    // Load comes from a handful of users on one IP: the per-user and per-IP limits would refuse it.
    SB_RATE_LIMIT_PER_USER: '1000000',
    SB_RATE_LIMIT_PER_IP: '1000000',
    SB_DATABASE_POOL_SIZE: '20',
    SB_WS_AUTH_TIMEOUT_MS: '60000',
    SB_DRAIN_MS: '500',
    SB_LEADER_TTL_MS: String(leaderTtlMs),
  };
}

/**
 * Starts three Switchboard nodes on one database and a run-unique cluster name. `restart(i)`
 * starts node i again on the same port; `stop()` stops all and deletes the cluster's Redis keys.
 */
export async function startSwitchboard({ databaseUrl, leaderTtlMs, cpuProfDir, count = 3 }) {
  const cluster = `bench-${newId().slice(0, 10)}`;
  const secret = `bench-secret-${newId()}`;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const spawnOne = (index) => spawnServer({
    command: process.execPath,
    args: [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=node${index}-${Date.now()}.cpuprofile`] : []), NODE_BIN],
    env: nodeEnv({ databaseUrl, cluster, secret, port: ports[index], index, leaderTtlMs }),
    readyUrl: `http://127.0.0.1:${ports[index]}/api/v4/system/ping`,
    name: `switchboard n${index}`,
  });
  const nodes = await Promise.all(ports.map((_, i) => spawnOne(i)));
  return {
    kind: 'switchboard',
    label: 'Switchboard',
    cluster,
    nodes,
    urls: ports.map((port) => `http://127.0.0.1:${port}`),
    nodeIdOf: (index) => `${cluster}-n${index}`,
    wsUrl: (base) => `${base.replace(/^http/, 'ws')}/api/v4/websocket`,
    async restart(index) {
      nodes[index] = await spawnOne(index);
    },
    /** Stops every node and starts it again: fresh processes for a memory measurement. */
    async restartAll() {
      await Promise.all(nodes.map((node) => node.stop('SIGINT')));
      nodes.splice(0, nodes.length, ...(await Promise.all(ports.map((_, i) => spawnOne(i)))));
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.stop('SIGINT')));
      const redis = connectRedis();
      await deleteKeys(redis, `sb:${cluster}:*`).finally(() => redis.disconnect());
    },
  };
}

/** Starts three Socket.IO servers sharing a run-unique adapter key over the same Redis. */
export async function startSocketIo({ count = 3, cpuProfDir } = {}) {
  const key = `sbbench-sio-${newId().slice(0, 10)}`;
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const spawnOne = (index) => spawnServer({
    command: process.execPath,
    args: [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=sio${index}-${Date.now()}.cpuprofile`] : []), SOCKETIO_SERVER],
    env: { PATH: process.env.PATH ?? '', PORT: String(ports[index]), REDIS_URL, SIO_KEY: key, NODE_NAME: `sio${index}` },
    readyUrl: `http://127.0.0.1:${ports[index]}/ping`,
    name: `socket.io s${index}`,
  });
  const nodes = await Promise.all(ports.map((_, i) => spawnOne(i)));
  return {
    kind: 'socketio',
    label: 'Socket.IO',
    nodes,
    urls: ports.map((port) => `http://127.0.0.1:${port}`),
    wsUrl: (base) => `${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
    /** Stops every server and starts it again: fresh processes for a memory measurement. */
    async restartAll() {
      await Promise.all(nodes.map((node) => node.stop('SIGINT')));
      nodes.splice(0, nodes.length, ...(await Promise.all(ports.map((_, i) => spawnOne(i)))));
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.stop('SIGINT')));
      const redis = connectRedis();
      await deleteKeys(redis, `${key}*`).finally(() => redis.disconnect());
    },
  };
}
