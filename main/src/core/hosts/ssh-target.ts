import type { ProfileHost } from '@switchboard/shared';
import { lookupSshConfig, type SshConfig } from '../profiles/ssh-config.js';
import { hostError } from './errors.js';
import { knownHostsName } from './host-keys.js';

/** The SSH port when neither the profile nor ssh config names one. @default 22 */
export const DEFAULT_SSH_PORT = 22;

/** Everything needed to reach one host over SSH, resolved from the profile and ssh config. */
export interface SshTarget {
  /** The host's name in the profile. */
  host: string;
  /** What is connected to (ssh config's HostName for an alias). */
  address: string;
  port: number;
  user: string;
  /** Private key file, `~` expanded. */
  keyFile?: string;
  /** SSH agent socket, when the agent is used. */
  agentSocket?: string;
  /** Name of the secret holding the key's passphrase. */
  passphraseSecret?: string;
  /** The profile's pinned `SHA256:` fingerprint. */
  pinnedFingerprint?: string;
  /** known_hosts files consulted, in order: the profile's, then the console's own. */
  knownHostsFiles: readonly string[];
  /** The console-owned known_hosts file accepted keys are written to. */
  acceptedKeysFile: string;
  /** The name the host has in known_hosts files: `address`, or `[address]:port`. */
  knownHostsName: string;
}

/** What resolving a target needs besides the host. */
export interface SshTargetOptions {
  /** The operator's ssh config (aliases); omit to use none. */
  sshConfig?: SshConfig;
  /** Home directory, for `~`. */
  home: string;
  /** The login used when neither the profile nor ssh config names a user. */
  localUser: string;
  /** $SSH_AUTH_SOCK, if an agent runs. */
  agentSocket?: string;
  /** The console-owned known_hosts file. */
  acceptedKeysFile: string;
}

/** `~` and `~/x` against `home`. */
function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/**
 * Resolves a profile host into an SSH target. The profile's own fields win; an `address` that
 * is an ssh config alias contributes HostName, Port, User and IdentityFile where the profile is
 * silent. Auth: the key file (profile `keyFile`, else ssh config's IdentityFile), and the agent
 * when `agent: true` or when there is no key file and SSH_AUTH_SOCK is set. Neither is an
 * `hosts.auth_failed` error, thrown before anything connects.
 */
export function resolveSshTarget(host: ProfileHost, options: SshTargetOptions): SshTarget {
  const alias = host.address;
  if (!alias) throw hostError('hosts.invalid_argument', `host ${host.name} has no address`);
  const config = options.sshConfig ? lookupSshConfig(options.sshConfig, alias, options.home) : {};
  const address = config.hostName ?? alias;
  const port = host.port ?? config.port ?? DEFAULT_SSH_PORT;
  const keyFile = host.keyFile !== undefined ? expandHome(host.keyFile, options.home) : config.identityFile;
  const wantsAgent = host.agent === true || (keyFile === undefined && host.agent !== false);
  if (host.agent === true && !options.agentSocket) {
    throw hostError('hosts.auth_failed', `host ${host.name} uses the SSH agent, but SSH_AUTH_SOCK is not set`);
  }
  const agentSocket = wantsAgent ? options.agentSocket : undefined;
  if (keyFile === undefined && agentSocket === undefined) {
    throw hostError('hosts.auth_failed', `host ${host.name} has no keyFile (nor an IdentityFile in ssh config) and no SSH agent (SSH_AUTH_SOCK) to authenticate with`);
  }
  const knownHostsFiles = [...(host.knownHostsFile ? [expandHome(host.knownHostsFile, options.home)] : []), options.acceptedKeysFile];
  return {
    host: host.name,
    address,
    port,
    user: host.user ?? config.user ?? options.localUser,
    keyFile,
    agentSocket,
    passphraseSecret: host.passphraseSecret,
    pinnedFingerprint: host.hostKeyFingerprint,
    knownHostsFiles,
    acceptedKeysFile: options.acceptedKeysFile,
    knownHostsName: knownHostsName(address, port),
  };
}

/** `address:port`, for messages. */
export function endpointOf(target: SshTarget): string {
  return `${target.address}:${target.port}`;
}
