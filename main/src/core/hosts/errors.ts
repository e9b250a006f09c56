import { SwitchboardError, type ErrorId } from '@switchboard/shared';

/**
 * A host error with its catalogue id and a specific, user-safe one-line message.
 * @example throw hostError('hosts.unknown_host', 'no host "web9" in profile ops (hosts: web1, web2)');
 */
export function hostError(id: ErrorId, message: string, options: { detail?: string; cause?: unknown } = {}): SwitchboardError {
  return new SwitchboardError(id, { message, detail: options.detail, cause: options.cause });
}

/**
 * The host presented a key that is neither pinned in the profile nor in a known_hosts file.
 * Nothing ran. The console shows {@link fingerprint} to the operator, who may accept it
 * (HostService.acceptHostKey) after checking it out of band (`ssh-keygen -lf` on the host).
 */
export class HostKeyUnknownError extends SwitchboardError {
  /** The host's name in the profile. */
  readonly host: string;
  /** What was connected to, `address:port`. */
  readonly endpoint: string;
  /** `SHA256:<base64>` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** e.g. `ssh-ed25519`. */
  readonly keyType: string;

  constructor(host: string, endpoint: string, keyType: string, fingerprint: string) {
    super('hosts.host_key_unknown', {
      message: `host ${host} (${endpoint}) presented an unknown ${keyType} key ${fingerprint}; nothing ran. Check the fingerprint on the host (ssh-keygen -lf) and accept it, or pin it in the profile`,
    });
    this.name = 'HostKeyUnknownError';
    this.host = host;
    this.endpoint = endpoint;
    this.fingerprint = fingerprint;
    this.keyType = keyType;
  }
}

/**
 * The host presented a key other than the one on record (pinned fingerprint or known_hosts),
 * or a revoked one. The connection was refused before authenticating; nothing ran.
 */
export class HostKeyMismatchError extends SwitchboardError {
  readonly host: string;
  readonly endpoint: string;
  /** The fingerprints on record (empty for a revoked key). */
  readonly expected: readonly string[];
  /** The fingerprint the host presented. */
  readonly got: string;
  /** Where the expectation comes from: `the profile's pinned fingerprint`, a known_hosts file and line. */
  readonly source: string;

  constructor(host: string, endpoint: string, expected: readonly string[], got: string, source: string) {
    const wanted = expected.length > 0 ? `expected ${expected.join(' or ')} (${source})` : `that key is revoked (${source})`;
    super('hosts.host_key_mismatch', {
      message: `HOST KEY MISMATCH for host ${host} (${endpoint}): ${wanted}, got ${got}. The connection was refused and nothing ran: the host was reinstalled, or someone is intercepting the connection`,
    });
    this.name = 'HostKeyMismatchError';
    this.host = host;
    this.endpoint = endpoint;
    this.expected = expected;
    this.got = got;
    this.source = source;
  }
}

/** The nodectl error ids, one per nodectl exit code (0 is success). */
export type NodectlErrorId = 'nodectl.action_failed' | 'nodectl.usage' | 'nodectl.config_invalid' | 'nodectl.unknown_node' | 'nodectl.conflict';

/** nodectl ran on the host and refused or failed (exit codes 1-4), with its own message. */
export class NodectlError extends SwitchboardError {
  readonly host: string;
  readonly node: string | undefined;
  /** nodectl's exit code: 1 failed, 2 usage or config, 3 unknown node, 4 conflicting state. */
  readonly exitCode: number;

  constructor(id: NodectlErrorId, host: string, node: string | undefined, exitCode: number, message: string) {
    super(id, { message: `host ${host}: ${message}` });
    this.name = 'NodectlError';
    this.host = host;
    this.node = node;
    this.exitCode = exitCode;
  }
}
