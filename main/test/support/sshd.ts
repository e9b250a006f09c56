import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Debian's OpenSSH server (package openssh-server). */
export const SSHD_BIN = '/usr/sbin/sshd';

/** A private sshd for tests, with generated host and client keys. */
export interface TestSshd {
  /** The loopback addresses it listens on (one per simulated host). */
  addresses: readonly string[];
  port: number;
  /** The login the client key is authorised for (the user running the tests). */
  user: string;
  /** The host key's public half (`ssh-ed25519 AAAA... comment`). */
  hostKeyPub: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it. */
  hostFingerprint: string;
  /** The client's private key (encrypted with `clientKeyPassphrase`). */
  clientKeyFile: string;
  clientKeyPassphrase: string;
  /** sshd's own log (it runs with -e: to stderr). */
  log(): string;
  /** How many public-key logins sshd accepted so far. */
  acceptedLogins(): number;
  /** Pids of the per-connection sshd processes (below the listener). */
  sessionPids(): number[];
  /** SIGKILLs every per-connection sshd process: each client's connection drops. */
  dropSessions(): void;
  /** Stops the listener and every session process; removes the temp dir. */
  stop(): Promise<void>;
}

/** Whether `port` can be bound on every address. */
async function bindable(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}

/** A port free on every one of `addresses`. */
async function freePortOn(addresses: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, addresses[0], () => {
        const { port: chosen } = server.address() as { port: number };
        server.close(() => resolve(chosen));
      });
    });
    const free = await Promise.all(addresses.slice(1).map((address) => bindable(port, address)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no port free on all of ${addresses.join(', ')}`);
}

/** Resolves once `address:port` sends an SSH banner; rejects if sshd exits first or after 10 s. */
async function waitForBanner(address: string, port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
    const banner = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: address, port });
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('SSH-2.0-'));
      });
      socket.once('error', () => resolve(false));
    });
    if (banner) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not answer on ${address}:${port}:\n${log()}`);
}

/** The sshd processes below `pid` (per-connection monitors and their unprivileged children), from /proc. */
function sshdDescendants(pid: number): number[] {
  const table: Array<{ pid: number; ppid: number; comm: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      table.push({ pid: Number(entry), ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), comm });
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const proc of table) {
      if (proc.ppid !== parent || proc.comm !== 'sshd') continue;
      found.push(proc.pid);
      walk(proc.pid);
    }
  };
  walk(pid);
  return found;
}

/** SIGKILLs processes that may already be gone. */
function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The sshd_config of a private test server. */
function sshdConfig(dir: string, addresses: readonly string[], port: number, user: string): string {
  return [
    ...addresses.map((address) => `ListenAddress ${address}:${port}`),
    `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    `AllowUsers ${user}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/**
 * Starts Debian's sshd as a child (`-D -e -f <generated config>`) on `addresses` (loopback
 * addresses such as 127.0.1.1 and 127.0.1.2, one per simulated host) and a free port, with a
 * generated ed25519 host key and a passphrase-protected client key authorised for the current
 * user. Needs /usr/sbin/sshd (`apt-get install -y openssh-server`).
 */
export async function startSshd(options: { addresses?: readonly string[]; clientKeyPassphrase?: string } = {}): Promise<TestSshd> {
  if (!existsSync(SSHD_BIN)) throw new Error(`${SSHD_BIN} is missing: install it with \`apt-get install -y openssh-server\``);
  const addresses = options.addresses ?? ['127.0.1.1'];
  const passphrase = options.clientKeyPassphrase ?? 'test passphrase';
  const user = userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'sshd-'));
  const keygen = (args: string[]) => execFileSync('ssh-keygen', ['-q', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  keygen(['-t', 'ed25519', '-N', '', '-C', 'test-host', '-f', join(dir, 'host_ed25519')]);
  keygen(['-t', 'ed25519', '-N', passphrase, '-C', 'test-client', '-f', join(dir, 'client_ed25519')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub')), { mode: 0o600 });
  const hostKeyPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim();
  const hostFingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(/\s+/)[1]!;
  const port = await freePortOn(addresses);
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, sshdConfig(dir, addresses, port, user));
  // sshd refuses to start without its privilege separation directory (normally made by systemd).
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child = spawn(SSHD_BIN, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => output;
  const stop = async () => {
    const sessions = child.pid ? sshdDescendants(child.pid) : [];
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    killAll(sessions);
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const address of addresses) await waitForBanner(address, port, child, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    addresses,
    port,
    user,
    hostKeyPub,
    hostFingerprint,
    clientKeyFile: join(dir, 'client_ed25519'),
    clientKeyPassphrase: passphrase,
    log,
    acceptedLogins: () => (output.match(/Accepted publickey for /g) ?? []).length,
    sessionPids: () => (child.pid ? sshdDescendants(child.pid) : []),
    dropSessions: () => killAll(child.pid ? sshdDescendants(child.pid) : []),
    stop,
  };
}
