import { mkdirSync } from 'node:fs';
import { nodectlError } from './errors.js';
import type { HostConfig, HostNode } from './host-config.js';
import { tailLines } from './log-tail.js';
import { nodeState, waitReady, type NodeState } from './node-http.js';
import { lockNode, nodeFiles, readPidFile, readRunning, removePidFile, signal, spawnNode, waitForExit, type PidRecord } from './process-control.js';

/** How long `start` waits for system/ping to answer 200, ms. @default 20000 */
export const READY_TIMEOUT_MS = 20_000;

/** What `drain` waits beyond the node's own SB_DRAIN_MS before giving up, ms. @default 10000 */
export const DRAIN_GRACE_MS = 10_000;

/** How long `kill` waits for the process to vanish after SIGKILL, ms. @default 5000 */
export const KILL_TIMEOUT_MS = 5_000;

/** Log lines quoted in the error when a start fails. @default 10 */
export const START_FAILURE_LOG_LINES = 10;

/** One node as `list` and the actions report it. */
export interface NodeStatus {
  id: string;
  pid: number | null;
  running: boolean;
  listen: string;
  state: NodeState;
}

/** The node `id` of the host config, or a `nodectl.unknown_node` error. */
export function findNode(config: HostConfig, id: string): HostNode {
  const node = config.nodes.get(id);
  if (!node) throw nodectlError('nodectl.unknown_node', `no node ${JSON.stringify(id)} in ${config.file} (known: ${[...config.nodes.keys()].join(', ') || 'none'})`);
  return node;
}

async function status(node: HostNode, record: PidRecord | undefined): Promise<NodeStatus> {
  return { id: node.id, pid: record?.pid ?? null, running: record !== undefined, listen: record?.listen ?? node.listen, state: await nodeState(record, node.id) };
}

/** The node's live pid record; a stale pid file is cleaned up unless another nodectl is acting on the node. */
function inspect(config: HostConfig, id: string): PidRecord | undefined {
  const state = readPidFile(config.runDir, id);
  if (!state || 'running' in state) return state?.running;
  let release: (() => void) | undefined;
  try {
    release = lockNode(config.runDir, id);
  } catch {
    return undefined; // someone else holds the node: they will clean up, or have just started it
  }
  try {
    return readRunning(config.runDir, id);
  } finally {
    release();
  }
}

/** Every configured node with its process and state, sorted by id. */
export async function listNodes(config: HostConfig): Promise<NodeStatus[]> {
  const nodes = [...config.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  return Promise.all(nodes.map((node) => status(node, inspect(config, node.id))));
}

/** Runs `action` holding the node's lock (creating the run directory first). */
async function locked<T>(config: HostConfig, id: string, action: () => Promise<T>): Promise<T> {
  mkdirSync(config.runDir, { recursive: true, mode: 0o700 });
  const release = lockNode(config.runDir, id);
  try {
    return await action();
  } finally {
    release();
  }
}

async function startUnlocked(config: HostConfig, node: HostNode): Promise<NodeStatus> {
  const running = readRunning(config.runDir, node.id);
  if (running) throw nodectlError('nodectl.conflict', `${node.id} is already running (pid ${running.pid})`);
  const env: Record<string, string> = {};
  // Only what a node needs from nodectl's own environment; everything else comes from the config.
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[name]) env[name] = process.env[name]!;
  const record = spawnNode({ runDir: config.runDir, id: node.id, bin: config.bin, env: { ...env, ...node.env }, listen: node.listen });
  const outcome = await waitReady(record, node.id, READY_TIMEOUT_MS);
  if (outcome === 'ready') return { id: node.id, pid: record.pid, running: true, listen: record.listen, state: 'active' };
  if (outcome === 'timeout') {
    signal(record.pid, 'SIGKILL');
    await waitForExit(record, KILL_TIMEOUT_MS);
  }
  removePidFile(config.runDir, node.id);
  const why = outcome === 'exited' ? 'exited before system/ping answered' : `did not answer system/ping with 200 within ${READY_TIMEOUT_MS} ms and was killed`;
  const log = tailLines(nodeFiles(config.runDir, node.id).log, START_FAILURE_LOG_LINES);
  throw nodectlError('nodectl.action_failed', `${node.id} ${why}; last log lines: ${log.join('\n') || '(none)'}`);
}

async function stopUnlocked(config: HostConfig, node: HostNode, how: 'drain' | 'kill'): Promise<NodeStatus> {
  const record = readRunning(config.runDir, node.id);
  if (!record) throw nodectlError('nodectl.conflict', `${node.id} is not running`);
  const timeoutMs = how === 'drain' ? node.drainMs + DRAIN_GRACE_MS : KILL_TIMEOUT_MS;
  signal(record.pid, how === 'drain' ? 'SIGTERM' : 'SIGKILL');
  if (!(await waitForExit(record, timeoutMs))) {
    throw nodectlError('nodectl.action_failed', `${node.id} (pid ${record.pid}) did not exit within ${timeoutMs} ms after ${how === 'drain' ? 'SIGTERM' : 'SIGKILL'}`);
  }
  removePidFile(config.runDir, node.id);
  return { id: node.id, pid: record.pid, running: false, listen: record.listen, state: 'stopped' };
}

/** Starts the node and waits until it is ready; a node that fails to start is not left behind. */
export function startNode(config: HostConfig, id: string): Promise<NodeStatus> {
  const node = findNode(config, id);
  return locked(config, id, () => startUnlocked(config, node));
}

/** SIGTERM (the node drains itself) and waits up to SB_DRAIN_MS + {@link DRAIN_GRACE_MS} for it to exit. */
export function drainNode(config: HostConfig, id: string): Promise<NodeStatus> {
  const node = findNode(config, id);
  return locked(config, id, () => stopUnlocked(config, node, 'drain'));
}

/** SIGKILL and waits for the process to vanish. */
export function killNode(config: HostConfig, id: string): Promise<NodeStatus> {
  const node = findNode(config, id);
  return locked(config, id, () => stopUnlocked(config, node, 'kill'));
}

/** Drains the node if it runs, then starts it. */
export function restartNode(config: HostConfig, id: string): Promise<NodeStatus> {
  const node = findNode(config, id);
  return locked(config, id, async () => {
    if (readRunning(config.runDir, id)) await stopUnlocked(config, node, 'drain');
    return startUnlocked(config, node);
  });
}

/** The last `lines` lines of the node's log (none when it never ran). */
export function nodeLogs(config: HostConfig, id: string, lines: number): string[] {
  findNode(config, id);
  return tailLines(nodeFiles(config.runDir, id).log, lines);
}
