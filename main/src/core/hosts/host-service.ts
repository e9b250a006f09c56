import { isSwitchboardError, type ClusterProfile, type ProfileHost } from '@switchboard/shared';
import { pino, type Logger } from 'pino';
import type { ZodType } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { HostKeyUnknownError, hostError } from './errors.js';
import type { HostKey } from './host-keys.js';
import {
  MAX_LOG_LINES,
  NODE_ACTIONS,
  NODE_ID_PATTERN,
  nodectlActionSchema,
  nodectlArgv,
  nodectlListSchema,
  nodectlLogsSchema,
  readNodectlResult,
  type NodeAction,
  type NodectlCommand,
  type NodectlNode,
} from './nodectl-client.js';
import { canAcceptHostKey, type ExecResult, type HostTransport, type TransportFactory } from './transport.js';

/** How long each kind of nodectl run may take. */
export interface HostTimeouts {
  /** `list` on one host (nodectl pings each node for up to 1 s), ms. @default 20000 */
  listMs: number;
  /** start (waits up to 20 s for ready), drain (the node's SB_DRAIN_MS + 10 s), kill, restart, ms. @default 120000 */
  actionMs: number;
  /** `logs`, ms. @default 20000 */
  logsMs: number;
}

/** The defaults of {@link HostTimeouts}. */
export const HOST_TIMEOUTS: Readonly<HostTimeouts> = Object.freeze({ listMs: 20_000, actionMs: 120_000, logsMs: 20_000 });

/** Log lines `logs` returns unless asked otherwise. @default 100 */
export const DEFAULT_LOG_LINES = 100;

/** What the host service needs. */
export interface HostServiceDeps {
  profile: ClusterProfile;
  secrets: SecretStore;
  audit: AuditLog;
  /** The console's data directory (its known_hosts lives there). */
  dataDir: string;
  /** Makes each host's transport; see createTransportFactory. */
  transports: TransportFactory;
  /** @default a silent logger */
  log?: Logger;
  timeouts?: Partial<HostTimeouts>;
}

/** A node as nodectl reports it, with the profile host it runs on. */
export interface HostNodeStatus extends NodectlNode {
  host: string;
}

/** A host `listNodes` could not list, and why (with the fingerprint to accept on first contact). */
export interface HostFailure {
  host: string;
  error: { id: string; message: string; fingerprint?: string };
}

/** Every node of every host, and the hosts that did not answer. */
export interface NodeListing {
  nodes: HostNodeStatus[];
  failures: HostFailure[];
}

/** A user-safe one-liner for the audit log and failures. */
function describe(err: unknown): { id: string; message: string } {
  if (isSwitchboardError(err)) return { id: err.id, message: err.message };
  return { id: 'internal.error', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Node control on the profile's hosts: runs `nodectl … --json` through each host's transport
 * (one per host, made on first use and reused), parses the answer with schemas, and maps
 * nodectl's exit codes to typed errors. Host names, node ids, actions and line counts are
 * validated before any transport is made, so `n1; rm -rf /` is refused before anything
 * connects. Every action (start, drain, kill, restart, logs, accepting a host key) is written to
 * the audit log, refused ones included.
 */
export class HostService {
  readonly #deps: HostServiceDeps;
  readonly #log: Logger;
  readonly #timeouts: HostTimeouts;
  readonly #transports = new Map<string, HostTransport>();
  #closed = false;

  constructor(deps: HostServiceDeps) {
    this.#deps = deps;
    this.#log = (deps.log ?? pino({ level: 'silent' })).child({ profile: deps.profile.name });
    this.#timeouts = { ...HOST_TIMEOUTS, ...deps.timeouts };
  }

  /** Runs `nodectl list` on every host at once and merges the nodes (each with its host's name). */
  async listNodes(): Promise<NodeListing> {
    const listing: NodeListing = { nodes: [], failures: [] };
    const results = await Promise.allSettled(
      this.#deps.profile.hosts.map(async (host) => {
        const result = await this.#nodectl(host, { command: 'list' }, this.#timeouts.listMs, nodectlListSchema);
        return result.nodes.map((node) => ({ ...node, host: host.name }));
      }),
    );
    results.forEach((result, i) => {
      const host = this.#deps.profile.hosts[i]!.name;
      if (result.status === 'fulfilled') return void listing.nodes.push(...result.value);
      const error: HostFailure['error'] = describe(result.reason);
      if (result.reason instanceof HostKeyUnknownError) error.fingerprint = result.reason.fingerprint;
      listing.failures.push({ host, error });
    });
    return listing;
  }

  /** Starts, drains, kills or restarts a node; resolves with the node as nodectl reports it after. */
  action(host: string, nodeId: string, action: NodeAction): Promise<HostNodeStatus> {
    return this.#audited(host, nodeId, action, async () => {
      if (!(NODE_ACTIONS as readonly unknown[]).includes(action)) {
        throw hostError('hosts.invalid_argument', `unknown action ${JSON.stringify(action)}: must be one of ${NODE_ACTIONS.join(', ')}`);
      }
      const target = this.#host(host);
      const id = this.#nodeId(nodeId);
      const result = await this.#nodectl(target, { command: action, id }, this.#timeouts.actionMs, nodectlActionSchema, id);
      return { node: { ...result.node, host: target.name }, detail: `pid ${result.node.pid ?? '-'}, ${result.node.state}` };
    });
  }

  /** The last `lines` lines of a node's log on its host. */
  logs(host: string, nodeId: string, lines: number = DEFAULT_LOG_LINES): Promise<string[]> {
    return this.#audited(host, nodeId, 'logs', async () => {
      if (!Number.isInteger(lines) || lines < 1 || lines > MAX_LOG_LINES) {
        throw hostError('hosts.invalid_argument', `lines must be a whole number from 1 to ${MAX_LOG_LINES}, got ${JSON.stringify(lines)}`);
      }
      const target = this.#host(host);
      const id = this.#nodeId(nodeId);
      const result = await this.#nodectl(target, { command: 'logs', id, lines }, this.#timeouts.logsMs, nodectlLogsSchema, id);
      return { node: result.lines, detail: `${result.lines.length} lines` };
    });
  }

  /**
   * Runs a command the profile itself names (a service's stop/start/restart in `services`) on a
   * profile host, as an argv array (never through a local shell; SSH quotes every word), and
   * audits it under `action`. A non-zero exit is `hosts.command_failed` with the last line of
   * stderr.
   * @example await hosts.runCommand('db1', ['systemctl', 'restart', 'redis-server'], { action: 'restart-redis', timeoutMs: 60_000 })
   */
  runCommand(host: string, argv: readonly string[], options: { action: string; timeoutMs: number }): Promise<ExecResult> {
    return this.#audited(host, null, options.action, async () => {
      if (argv.length === 0 || argv[0] === '' || argv.some((word) => typeof word !== 'string')) throw hostError('hosts.invalid_argument', 'the command must be a non-empty argv array');
      const target = this.#host(host);
      const run = await this.#transport(target).exec(argv, { timeoutMs: options.timeoutMs });
      if (run.code !== 0) {
        const last = (run.stderr.trim() || run.stdout.trim()).split('\n').pop() ?? '';
        throw hostError('hosts.command_failed', `host ${target.name}: ${argv[0]} exited with code ${run.code}${last ? `: ${last}` : ''}`);
      }
      return { node: run, detail: `${argv[0]} exited 0` };
    });
  }

  /**
   * Records the key host `host` presents as known, if its fingerprint is `fingerprint` (what the
   * operator saw in HostKeyUnknownError and checked); later connections then accept it.
   */
  acceptHostKey(host: string, fingerprint: string): Promise<HostKey> {
    return this.#audited(host, null, 'accept-host-key', async () => {
      if (typeof fingerprint !== 'string' || !/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(fingerprint)) {
        throw hostError('hosts.invalid_argument', `fingerprint must be SHA256:<base64> as ssh-keygen -lf prints it, got ${JSON.stringify(fingerprint)}`);
      }
      const target = this.#host(host);
      if (target.local) throw hostError('hosts.invalid_argument', `host ${target.name} is local: it has no host key`);
      const transport = this.#transport(target);
      if (!canAcceptHostKey(transport)) throw hostError('hosts.invalid_argument', `host ${target.name}'s transport does not verify host keys`);
      const key = await transport.acceptHostKey(fingerprint);
      this.#log.warn({ host: target.name, fingerprint: key.fingerprint, keyType: key.type }, 'host key accepted by the operator');
      return { node: key, detail: `${key.type} ${key.fingerprint}` };
    });
  }

  /** Closes every transport (commands in flight finish first); later calls are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const transports = [...this.#transports.values()];
    this.#transports.clear();
    await Promise.allSettled(transports.map((transport) => transport.close()));
  }

  /** Runs `work`, then appends the outcome to the audit log (also when it threw). */
  async #audited<T>(host: unknown, node: unknown, action: unknown, work: () => Promise<{ node: T; detail: string }>): Promise<T> {
    const started = Date.now();
    const entry = { profile: this.#deps.profile.name, host: String(host), node: node === null ? null : String(node), action: String(action) || '(none)' };
    try {
      const { node: value, detail } = await work();
      const durationMs = Date.now() - started;
      this.#log.info({ ...entry, durationMs }, 'host action done');
      await this.#deps.audit.append({ ts: Date.now(), ...entry, result: 'ok', detail, durationMs });
      return value;
    } catch (err) {
      const durationMs = Date.now() - started;
      const { id, message } = describe(err);
      this.#log.warn({ ...entry, durationMs, errorId: id, error: message }, 'host action failed');
      await this.#deps.audit.append({ ts: Date.now(), ...entry, result: 'failed', detail: `${id}: ${message}`, durationMs });
      throw err;
    }
  }

  /** The profile host named `name`, or `hosts.unknown_host`. */
  #host(name: unknown): ProfileHost {
    const host = typeof name === 'string' ? this.#deps.profile.hosts.find((candidate) => candidate.name === name) : undefined;
    if (!host) {
      const known = this.#deps.profile.hosts.map((candidate) => candidate.name).join(', ') || 'none';
      throw hostError('hosts.unknown_host', `no host ${JSON.stringify(name)} in profile ${this.#deps.profile.name} (hosts: ${known})`);
    }
    return host;
  }

  /** `id` if it is a valid node id, else `hosts.invalid_argument` (nothing has run yet). */
  #nodeId(id: unknown): string {
    if (typeof id === 'string' && NODE_ID_PATTERN.test(id)) return id;
    throw hostError('hosts.invalid_argument', `invalid node id ${JSON.stringify(id)}: must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit; nothing ran`);
  }

  /** The host's transport, made on first use. */
  #transport(host: ProfileHost): HostTransport {
    if (this.#closed) throw hostError('hosts.unreachable', 'the host service is closed');
    let transport = this.#transports.get(host.name);
    if (!transport) {
      transport = this.#deps.transports(host, { secrets: this.#deps.secrets, dataDir: this.#deps.dataDir, log: this.#log });
      this.#transports.set(host.name, transport);
    }
    return transport;
  }

  /** Runs one nodectl command on `host` and reads its answer. */
  async #nodectl<T>(host: ProfileHost, request: NodectlCommand, timeoutMs: number, schema: ZodType<T>, node?: string): Promise<T> {
    const argv = nodectlArgv(host, request);
    const run = await this.#transport(host).exec(argv, { timeoutMs });
    return readNodectlResult(schema, run, { host: host.name, node });
  }
}
