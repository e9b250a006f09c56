import { POLL_MS, isOurs, sleep, type PidRecord } from './process-control.js';

/** How long one system/ping may take, ms. @default 1000 */
export const PING_TIMEOUT_MS = 1_000;

/** What `list` reports for a node. */
export type NodeState = 'active' | 'draining' | 'stopped' | 'unreachable';

/** The URL of a node's system/ping; a wildcard listen address is reached on loopback. */
export function pingUrl(listen: string): string {
  const colon = listen.lastIndexOf(':');
  let host = listen.slice(0, colon);
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '[::]') host = '[::1]';
  return `http://${host}:${listen.slice(colon + 1)}/api/v4/system/ping`;
}

/**
 * Asks the node at `listen` for system/ping. The answer counts only when it names node `id`
 * (another process on that port is not our node). Draining nodes answer 503 with their state.
 */
export async function pingNode(listen: string, id: string): Promise<{ status: number; state: 'active' | 'draining' } | undefined> {
  try {
    const res = await fetch(pingUrl(listen), { signal: AbortSignal.timeout(PING_TIMEOUT_MS) });
    const body = (await res.json()) as { node_id?: unknown; node_state?: unknown };
    if (body.node_id !== id) return undefined;
    if (body.node_state !== 'active' && body.node_state !== 'draining') return undefined;
    return { status: res.status, state: body.node_state };
  } catch {
    return undefined;
  }
}

/** The state `list` shows for a node whose process runs (or `stopped` without one). */
export async function nodeState(record: PidRecord | undefined, id: string): Promise<NodeState> {
  if (!record) return 'stopped';
  return (await pingNode(record.listen, id))?.state ?? 'unreachable';
}

/** Polls system/ping until it answers 200; `exited` when the process went away first, `timeout` past the deadline. */
export async function waitReady(record: PidRecord, id: string, timeoutMs: number): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isOurs(record)) return 'exited';
    if ((await pingNode(record.listen, id))?.status === 200) return 'ready';
    if (Date.now() >= deadline) return 'timeout';
    await sleep(POLL_MS);
  }
}
