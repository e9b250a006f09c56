import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { readSshConfig } from '../profiles/ssh-config.js';
import { LocalTransport } from './local-transport.js';
import { resolveSshTarget } from './ssh-target.js';
import { SshTransport, type SshTransportOptions } from './ssh-transport.js';
import type { TransportFactory } from './transport.js';

/** The console-owned known_hosts file (accepted host keys), in its data directory. @default 'known_hosts' */
export const CONSOLE_KNOWN_HOSTS_FILE = 'known_hosts';

/** Options of {@link createTransportFactory}. */
export interface TransportFactoryOptions {
  /**
   * The console's environment: HOME (for `~`), USER (default SSH login), SSH_AUTH_SOCK (agent);
   * local commands run in it, without SB_SECRET_* variables.
   */
  env: Readonly<Record<string, string | undefined>>;
  /** The ssh config file whose aliases profile addresses may use. @default '~/.ssh/config' */
  sshConfigFile?: string;
  /** SSH timeouts and keepalive. */
  ssh?: SshTransportOptions;
}

/**
 * The transports the console uses: LocalTransport for `local: true` hosts, SshTransport for the
 * others (ssh config read when the transport is made; accepted keys in `<dataDir>/known_hosts`).
 * @example new HostService({ ..., transports: createTransportFactory({ env: process.env }) })
 */
export function createTransportFactory(options: TransportFactoryOptions): TransportFactory {
  return (host, context) => {
    if (host.local) return new LocalTransport({ env: options.env });
    const home = options.env.HOME || homedir();
    const target = resolveSshTarget(host, {
      sshConfig: readSshConfig(options.sshConfigFile ?? join(home, '.ssh', 'config')),
      home,
      localUser: options.env.USER || userInfo().username,
      agentSocket: options.env.SSH_AUTH_SOCK || undefined,
      acceptedKeysFile: join(context.dataDir, CONSOLE_KNOWN_HOSTS_FILE),
    });
    return new SshTransport(target, { secrets: context.secrets, log: context.log }, options.ssh);
  };
}
