import { constants } from 'node:os';
import type { Logger } from 'pino';
import type { Client, ClientChannel } from 'ssh2';
import type { SecretStore } from '../secrets/secret-store.js';
import { HostKeyMismatchError, hostError } from './errors.js';
import { appendKnownHost, normalizeFingerprint, type HostKey } from './host-keys.js';
import { quoteCommand } from './shell-words.js';
import { connectSsh, scanHostKey, SSH_CONNECT_DEFAULTS, type SshConnectOptions } from './ssh-connect.js';
import { endpointOf, type SshTarget } from './ssh-target.js';
import { DEFAULT_EXEC_TIMEOUT_MS, MAX_OUTPUT_BYTES, type ExecOptions, type ExecResult, type HostKeyAcceptor, type HostTransport } from './transport.js';

/** How long close() waits for the server to acknowledge the end of the connection, ms. @default 2000 */
export const CLOSE_WAIT_MS = 2_000;

/** Options of {@link SshTransport}. */
export interface SshTransportOptions extends Partial<SshConnectOptions> {
  /** @default MAX_OUTPUT_BYTES */
  maxOutputBytes?: number;
}

/** The channel for a command could not be opened: the command never started, so a retry is safe. */
class ChannelNotOpened extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** Exit code of an `exit` event: the status, or 128 + the signal's number as shells report it. */
function exitCode(code: number | null | undefined, signal: string | undefined): number {
  if (typeof code === 'number') return code;
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 127);
}

/** The error for a connection that went away while a command ran. */
function lostError(target: SshTarget): Error {
  return hostError('hosts.unreachable', `the connection to host ${target.host} was lost while the command ran; its outcome is unknown`);
}

/** Opens a session channel running `command`; a failure means the command never started. */
function openChannel(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      client.exec(command, (err, stream) => (err ? reject(new ChannelNotOpened(err)) : resolve(stream)));
    } catch (err) {
      // ssh2 throws 'Not connected' synchronously when the socket is already gone.
      reject(new ChannelNotOpened(err as Error));
    }
  });
}

/** Collects a channel's output until it closes; more than `maxBytes` of output fails it. */
function readChannel(stream: ClientChannel, maxBytes: number, target: SshTarget): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    let bytes = 0;
    let code: number | undefined;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) return void into.push(chunk);
      stream.close();
      reject(hostError('hosts.command_failed', `the command on host ${target.host} wrote more than ${maxBytes} bytes of output`));
    };
    stream.on('data', collect(out));
    stream.stderr.on('data', collect(errOut));
    stream.on('exit', (status: number | null, signal?: string) => (code = exitCode(status, signal)));
    stream.on('close', () => {
      if (code === undefined) return reject(lostError(target));
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
    });
  });
}

/** Runs one command on a new channel of `client`, failing it past `timeoutMs` or when the connection drops. */
async function runOnChannel(client: Client, command: string, timeoutMs: number, maxBytes: number, target: SshTarget): Promise<ExecResult> {
  let timer: NodeJS.Timeout | undefined;
  let onLost = () => {};
  let finished = false;
  let channel: ClientChannel | undefined;
  const guard = new Promise<never>((_, reject) => {
    const message = `the command on host ${target.host} did not finish within ${timeoutMs} ms (it may still be running there)`;
    timer = setTimeout(() => reject(hostError('hosts.command_timeout', message)), timeoutMs);
    onLost = () => reject(lostError(target));
    client.once('close', onLost);
  });
  const run = openChannel(client, command).then((stream) => {
    channel = stream;
    if (finished) stream.close();
    return readChannel(stream, maxBytes, target);
  });
  run.catch(() => {}); // when the guard wins, a later failure of `run` is expected and handled here
  try {
    return await Promise.race([run, guard]);
  } finally {
    finished = true;
    clearTimeout(timer);
    client.removeListener('close', onLost);
    channel?.close();
  }
}

/**
 * Runs commands on one host over SSH (ssh2). One connection per host is opened on first use and
 * reused for every later command (sequential or concurrent, one channel each); when it drops
 * (keepalive, network, server restart) the next command opens a new one. A command whose channel
 * could not open on a reused connection is retried once on a fresh one: it never started. A
 * connection lost while a command runs fails that command (`hosts.unreachable`), never retried.
 * Every argv element is single-quoted for the remote POSIX login shell.
 */
export class SshTransport implements HostTransport, HostKeyAcceptor {
  readonly target: SshTarget;
  readonly #secrets: SecretStore;
  readonly #log: Logger;
  readonly #options: SshConnectOptions;
  readonly #maxOutputBytes: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #connection: Promise<Client> | undefined;
  #opened = 0;
  #closed = false;

  constructor(target: SshTarget, deps: { secrets: SecretStore; log: Logger }, options: SshTransportOptions = {}) {
    this.target = target;
    this.#secrets = deps.secrets;
    this.#log = deps.log.child({ host: target.host });
    const { maxOutputBytes, ...connect } = options;
    this.#options = { ...SSH_CONNECT_DEFAULTS, ...connect };
    this.#maxOutputBytes = maxOutputBytes ?? MAX_OUTPUT_BYTES;
  }

  /** How many SSH connections this transport has opened so far (1 while the first one lasts). */
  get connectionsOpened(): number {
    return this.#opened;
  }

  /** Runs `argv` on the host (each element single-quoted); resolves with its exit code and output. */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.#closed) return Promise.reject(hostError('hosts.unreachable', `the SSH transport of host ${this.target.host} is closed`));
    let command: string;
    try {
      command = quoteCommand(argv);
    } catch (err) {
      return Promise.reject(hostError('hosts.invalid_argument', (err as Error).message));
    }
    const run = this.#run(command, options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
    this.#inFlight.add(run);
    const untrack = () => this.#inFlight.delete(run);
    run.then(untrack, untrack);
    return run;
  }

  async #run(command: string, timeoutMs: number): Promise<ExecResult> {
    const reused = this.#connection !== undefined;
    const client = await this.#client();
    try {
      return await runOnChannel(client, command, timeoutMs, this.#maxOutputBytes, this.target);
    } catch (err) {
      if (!(err instanceof ChannelNotOpened)) throw err;
      if (!reused) throw hostError('hosts.unreachable', `host ${this.target.host}: cannot open a session (${err.message})`, { cause: err.reason });
      this.#log.info({ reason: err.message }, 'pooled ssh connection unusable; reconnecting');
      this.#drop(client);
      return runOnChannel(await this.#client(), command, timeoutMs, this.#maxOutputBytes, this.target).catch((again: unknown) => {
        throw again instanceof ChannelNotOpened ? hostError('hosts.unreachable', `host ${this.target.host}: cannot open a session (${again.message})`) : again;
      });
    }
  }

  /** The pooled connection, opening one when there is none. */
  #client(): Promise<Client> {
    if (this.#connection) return this.#connection;
    const connecting = connectSsh(this.target, this.#secrets, this.#options, this.#log).then((client) => {
      this.#opened += 1;
      this.#log.debug({ endpoint: endpointOf(this.target), connections: this.#opened }, 'ssh connected');
      client.once('close', () => {
        if (this.#connection === connecting) this.#connection = undefined;
      });
      return client;
    });
    connecting.catch(() => {
      if (this.#connection === connecting) this.#connection = undefined;
    });
    this.#connection = connecting;
    return connecting;
  }

  /** Forgets and ends a pooled connection. */
  #drop(client: Client): void {
    this.#connection = undefined;
    client.end();
  }

  /** Fetches the host's current key and records it in the console's known_hosts if it is `fingerprint`. */
  async acceptHostKey(fingerprint: string): Promise<HostKey> {
    const key = await scanHostKey(this.target, this.#options);
    if (key.fingerprint !== normalizeFingerprint(fingerprint)) {
      throw new HostKeyMismatchError(this.target.host, endpointOf(this.target), [normalizeFingerprint(fingerprint)], key.fingerprint, 'the fingerprint being accepted');
    }
    await appendKnownHost(this.target.acceptedKeysFile, this.target.knownHostsName, key);
    return key;
  }

  /** Refuses new commands, lets those in flight finish, then ends the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    const connection = this.#connection;
    this.#connection = undefined;
    const client = await connection?.catch(() => undefined);
    if (!client) return;
    // A connection that already went away emits no further 'close': do not wait for it forever.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }
}
