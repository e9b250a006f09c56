import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { Client, type ConnectConfig } from 'ssh2';
import type { SwitchboardError } from '@switchboard/shared';
import type { SecretStore } from '../secrets/secret-store.js';
import { HostKeyMismatchError, HostKeyUnknownError, hostError } from './errors.js';
import { checkHostKey, describeHostKey, readKnownHosts, type HostKey, type KnownHostsEntry } from './host-keys.js';
import { endpointOf, type SshTarget } from './ssh-target.js';

/** Connection knobs of the SSH transport. */
export interface SshConnectOptions {
  /** How long the TCP connect, handshake and authentication may take, ms. @default 10000 */
  readyTimeoutMs: number;
  /** Keepalive probe interval on an idle pooled connection, ms. @default 15000 */
  keepaliveIntervalMs: number;
  /** Unanswered keepalives before the connection counts as dropped. @default 3 */
  keepaliveCountMax: number;
}

/** The defaults of {@link SshConnectOptions}. */
export const SSH_CONNECT_DEFAULTS: Readonly<SshConnectOptions> = Object.freeze({ readyTimeoutMs: 10_000, keepaliveIntervalMs: 15_000, keepaliveCountMax: 3 });

/** Key and passphrase (from the secret store) for the target; problems are `hosts.auth_failed`. */
async function credentials(target: SshTarget, secrets: SecretStore): Promise<Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent'>> {
  const auth: Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'agent'> = { agent: target.agentSocket };
  if (target.keyFile === undefined) return auth;
  try {
    auth.privateKey = await readFile(target.keyFile);
  } catch (err) {
    throw hostError('hosts.auth_failed', `host ${target.host}: cannot read key file ${target.keyFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (target.passphraseSecret !== undefined) {
    const passphrase = await secrets.get(target.passphraseSecret);
    if (passphrase === undefined) {
      throw hostError('hosts.auth_failed', `host ${target.host}: the secret ${JSON.stringify(target.passphraseSecret)} (the key's passphrase) is not set; secrets come from ${secrets.describeSecretSource()}`);
    }
    auth.passphrase = passphrase;
  }
  return auth;
}

/** The error for a failed connection attempt, by ssh2's error level. */
function connectError(target: SshTarget, err: Error & { level?: string; code?: string }, options: SshConnectOptions): SwitchboardError {
  const where = `host ${target.host} (${target.user}@${endpointOf(target)})`;
  // ssh2's messages name the problem, never a key or passphrase.
  if (err.level === 'client-authentication') return hostError('hosts.auth_failed', `${where}: authentication failed (${err.message})`, { cause: err });
  if (err.level === 'client-timeout') return hostError('hosts.unreachable', `${where}: no SSH session within ${options.readyTimeoutMs} ms (${err.message})`, { cause: err });
  if (/privateKey|passphrase/i.test(err.message)) return hostError('hosts.auth_failed', `${where}: the key cannot be used (${err.message})`, { cause: err });
  return hostError('hosts.unreachable', `${where} cannot be reached (${err.code ?? err.message})`, { cause: err });
}

/** The host key verdict as an error to throw, or undefined to go on. */
function verdictError(target: SshTarget, key: HostKey, verdict: ReturnType<typeof checkHostKey>): SwitchboardError | undefined {
  if (verdict.ok) return undefined;
  if (verdict.kind === 'unknown') return new HostKeyUnknownError(target.host, endpointOf(target), key.type, key.fingerprint);
  return new HostKeyMismatchError(target.host, endpointOf(target), verdict.expected, key.fingerprint, verdict.source);
}

/** ssh2's `hostVerifier`: checks the presented key, reporting a refusal through `refuse` (logged loudly on mismatch). */
function hostVerifierFor(target: SshTarget, knownHosts: KnownHostsEntry[], log: Logger, refuse: (error: SwitchboardError) => void): (blob: Buffer) => boolean {
  return (blob) => {
    const key = describeHostKey(blob);
    const refusal = verdictError(target, key, checkHostKey(key, target.knownHostsName, { pinned: target.pinnedFingerprint, knownHosts }));
    if (refusal === undefined) return true;
    if (refusal instanceof HostKeyMismatchError) {
      log.error({ host: target.host, endpoint: endpointOf(target), expected: refusal.expected, got: refusal.got, source: refusal.source }, 'HOST KEY MISMATCH: connection refused');
    }
    refuse(refusal);
    return false;
  };
}

/**
 * Opens an authenticated SSH connection to `target`. The host key is verified BEFORE any
 * credential is sent (ssh2 would accept any key without `hostVerifier`): it must equal the
 * pinned fingerprint or be in a known_hosts file, else HostKeyUnknownError / HostKeyMismatchError.
 * Other failures are `hosts.unreachable` or `hosts.auth_failed`.
 */
export async function connectSsh(target: SshTarget, secrets: SecretStore, options: SshConnectOptions, log: Logger): Promise<Client> {
  const [auth, knownHosts] = await Promise.all([credentials(target, secrets), readKnownHosts(target.knownHostsFiles)]);
  return new Promise<Client>((resolve, reject) => {
    const client = new Client();
    let refusal: SwitchboardError | undefined;
    let ready = false;
    const hostVerifier = hostVerifierFor(target, knownHosts, log, (error) => (refusal = error));
    client.on('error', (err: Error & { level?: string }) => {
      if (!ready) return reject(refusal ?? connectError(target, err, options));
      log.warn({ host: target.host, err: err.message }, 'ssh connection error');
    });
    client.once('close', () => {
      if (!ready) reject(refusal ?? hostError('hosts.unreachable', `host ${target.host} (${endpointOf(target)}) closed the connection during the SSH handshake`));
    });
    client.once('ready', () => {
      ready = true;
      resolve(client);
    });
    try {
      client.connect({
        host: target.address,
        port: target.port,
        username: target.user,
        ...auth,
        hostVerifier,
        readyTimeout: options.readyTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
      });
    } catch (err) {
      // ssh2 parses the key synchronously: a wrong or missing passphrase lands here.
      reject(connectError(target, err as Error, options));
    }
  });
}

/**
 * Fetches the key the host presents now, without authenticating (the handshake is abandoned
 * right after the key arrives). For accepting a first-contact key.
 */
export function scanHostKey(target: SshTarget, options: SshConnectOptions): Promise<HostKey> {
  return new Promise<HostKey>((resolve, reject) => {
    const client = new Client();
    let key: HostKey | undefined;
    const settle = (err?: Error & { level?: string }) => {
      client.removeAllListeners('close');
      if (key) resolve(key);
      else reject(connectError(target, err ?? new Error('connection closed before the host key arrived'), options));
    };
    client.on('error', (err: Error & { level?: string }) => settle(err));
    client.once('close', () => settle());
    client.connect({
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: options.readyTimeoutMs,
      hostVerifier: (blob: Buffer) => {
        key = describeHostKey(blob);
        return false;
      },
    });
  });
}
