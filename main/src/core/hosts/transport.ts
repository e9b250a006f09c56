import type { ProfileHost } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { SecretStore } from '../secrets/secret-store.js';
import type { HostKey } from './host-keys.js';

/** How long one command may run unless the caller says otherwise, ms. @default 60000 */
export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/** The most output (stdout plus stderr) kept from one command; past it the command fails. @default 16777216 */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** What a command left behind. */
export interface ExecResult {
  /** Exit code; a command ended by a signal reports 128 + the signal's number, as shells do. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Per-command options. */
export interface ExecOptions {
  /** Fails the command with `hosts.command_timeout` past this, ms. @default DEFAULT_EXEC_TIMEOUT_MS */
  timeoutMs?: number;
}

/**
 * Runs commands on one host. `argv` is an array, never a shell string: the local transport
 * runs it without a shell, the SSH transport quotes every element for the remote shell.
 */
export interface HostTransport {
  /** Runs `argv[0]` with the other elements as its arguments; resolves whatever the exit code. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Lets commands in flight finish, then releases connections; later `exec` calls are refused. */
  close(): Promise<void>;
}

/** A transport that verifies host keys and can record one the operator accepted (SSH). */
export interface HostKeyAcceptor {
  /**
   * Fetches the host's current key; stores it as known only if its fingerprint is `fingerprint`
   * (the one the operator saw and accepted), else throws HostKeyMismatchError.
   */
  acceptHostKey(fingerprint: string): Promise<HostKey>;
}

/** Whether `transport` can accept host keys. */
export function canAcceptHostKey(transport: HostTransport): transport is HostTransport & HostKeyAcceptor {
  return typeof (transport as Partial<HostKeyAcceptor>).acceptHostKey === 'function';
}

/** What a transport factory gets from the host service besides the host. */
export interface TransportContext {
  secrets: SecretStore;
  /** The console's data directory (its own known_hosts lives there). */
  dataDir: string;
  log: Logger;
}

/** Makes the transport for one host of the profile (called once per host; the result is reused). */
export type TransportFactory = (host: ProfileHost, context: TransportContext) => HostTransport;
