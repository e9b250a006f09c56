import { newId, SwitchboardError, type ProbeNodeResult, type ProbeResult } from '@switchboard/shared';
import { apiRequest } from './probe-fixtures.js';
import { ProbeSocket } from './probe-socket.js';

/** How long a node's client may take to see the probe's post before it counts as missed, ms. @default 5000 */
export const PROBE_DELIVERY_TIMEOUT_MS = 5_000;

/** Probe messages remembered for the consistency check (the oldest go first). @default 10000 */
export const PROBE_MESSAGES_KEPT = 10_000;

/** A node the probe watches: its id and the address of its API. */
export interface ProbeTarget {
  nodeId: string;
  url: string;
}

/** One probe's inputs. */
export interface ProbeOptions {
  /** Every node to watch (one WebSocket client each). */
  nodes: ProbeTarget[];
  /** Where to post: this URL (a balancer, the profile's apiUrl)… */
  apiUrl?: string;
  /** …or this node's address. @default the first of `nodes` */
  via?: string;
  /** The probe user's session token (see ensureProbeFixtures). */
  token: string;
  channelId: string;
  /** @default PROBE_DELIVERY_TIMEOUT_MS (5000) */
  timeoutMs?: number;
}

/**
 * The end-to-end probe: posts through one node's REST API and times until a WebSocket client on
 * each node sees `posted`. Sockets stay open between probes (reopened when closed or when a node's
 * address changes) and close with {@link ProbeRunner.close}. A node that cannot be reached or does
 * not see the post in time gets `latencyMs: null` and the reason; the probe never throws for it.
 */
export class ProbeRunner {
  private readonly sockets = new Map<string, { url: string; token: string; socket: ProbeSocket }>();
  private readonly messages: string[] = [];
  private closed = false;

  /** Runs one probe. Throws `console.invalid_argument` without a node to watch or post through. */
  async run(options: ProbeOptions): Promise<ProbeResult> {
    if (this.closed) throw new SwitchboardError('probe.failed', { detail: 'the probe runner is closed' });
    const via = options.apiUrl ?? options.nodes.find((node) => node.nodeId === options.via)?.url ?? options.nodes[0]?.url;
    if (via === undefined || options.nodes.length === 0) throw new SwitchboardError('console.invalid_argument', { detail: 'probe: no node to watch or post through' });
    const timeoutMs = options.timeoutMs ?? PROBE_DELIVERY_TIMEOUT_MS;
    this.forgetOthers(options.nodes);
    const watchers = await Promise.all(options.nodes.map((node) => this.socketFor(node, options.token)));
    const id = newId();
    const message = `switchboard-probe ${id}`;
    const at = Date.now();
    const sentAt = performance.now();
    const post = await apiRequest(via, 'POST', '/posts', options.token, { channel_id: options.channelId, message }).catch((err: unknown) => err as Error);
    const postMs = round(performance.now() - sentAt);
    const accepted = !(post instanceof Error) && post.status === 201;
    if (accepted) this.remember(message);
    const error = post instanceof Error ? post.message : accepted ? null : `post refused: HTTP ${post.status} ${String(post.body.id ?? '')}`.trim();
    const nodes = await Promise.all(
      options.nodes.map((node, i): Promise<ProbeNodeResult> => {
        const watcher = watchers[i]!;
        if (typeof watcher === 'string') return Promise.resolve({ nodeId: node.nodeId, url: node.url, latencyMs: null, error: watcher });
        if (!accepted) return Promise.resolve({ nodeId: node.nodeId, url: node.url, latencyMs: null, error: 'nothing was posted' });
        return watcher.arrivalOf(message, timeoutMs).then(
          (arrived) => ({ nodeId: node.nodeId, url: node.url, latencyMs: round(Math.max(0, arrived - sentAt)), error: null }),
          (err: unknown) => ({ nodeId: node.nodeId, url: node.url, latencyMs: null, error: (err as Error).message }),
        );
      }),
    );
    const ok = accepted && nodes.every((node) => node.latencyMs !== null);
    return { id, message, at, via, postMs: accepted ? postMs : null, ok, error, nodes };
  }

  /** The messages of every accepted probe post, oldest first (for the consistency check). */
  postedMessages(): string[] {
    return [...this.messages];
  }

  /** Closes every socket; later probes are refused. */
  close(): void {
    this.closed = true;
    for (const { socket } of this.sockets.values()) socket.close();
    this.sockets.clear();
  }

  /** An open socket on the node, or why there is none. */
  private async socketFor(node: ProbeTarget, token: string): Promise<ProbeSocket | string> {
    const known = this.sockets.get(node.nodeId);
    if (known && known.socket.open && known.url === node.url && known.token === token) return known.socket;
    known?.socket.close();
    this.sockets.delete(node.nodeId);
    try {
      const socket = await ProbeSocket.connect(node.url, token);
      if (this.closed) {
        socket.close();
        return 'the probe runner is closed';
      }
      this.sockets.set(node.nodeId, { url: node.url, token, socket });
      return socket;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** Closes the sockets of nodes no longer watched (gone from the registry). */
  private forgetOthers(nodes: ProbeTarget[]): void {
    const wanted = new Set(nodes.map((node) => node.nodeId));
    for (const [nodeId, { socket }] of this.sockets) {
      if (wanted.has(nodeId)) continue;
      socket.close();
      this.sockets.delete(nodeId);
    }
  }

  private remember(message: string): void {
    this.messages.push(message);
    if (this.messages.length > PROBE_MESSAGES_KEPT) this.messages.shift();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
