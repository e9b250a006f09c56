import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterProfileSchema, type ClusterProfile } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests borrow the node's test support (a fresh database, free ports); the product code never imports cluster-node.
import { createTestDatabase } from '../../cluster-node/test/support/database.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { AuditLog } from '../src/core/audit/audit-log.js';
import { HostKeyMismatchError, HostKeyUnknownError, NodectlError } from '../src/core/hosts/errors.js';
import { HostService } from '../src/core/hosts/host-service.js';
import { quoteCommand } from '../src/core/hosts/shell-words.js';
import { SshTransport } from '../src/core/hosts/ssh-transport.js';
import { createTransportFactory } from '../src/core/hosts/transport-factory.js';
import type { HostTransport, TransportFactory } from '../src/core/hosts/transport.js';
import { EnvSecretStore } from '../src/core/secrets/secret-store.js';
import { startSshd, type TestSshd } from './support/sshd.js';

/** The built nodectl bin (npm test builds first), run with this Node: sshd's PATH may lack node. */
const NODECTL = quoteCommand([process.execPath, fileURLToPath(new URL('../../cluster-node/bin/nodectl.js', import.meta.url))]);
const WRONG_FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

let sshd: TestSshd;
let dir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let service: HostService;
let audit: AuditLog;
let profile: ClusterProfile;
const listen: Record<string, string> = {};
/** Every transport the service asked for, and every command it ran, by host. */
const made: Record<string, HostTransport> = {};
const commands: Array<{ host: string; argv: readonly string[] }> = [];

/** Wraps the real factory to see what the service creates and runs. */
function spying(factory: TransportFactory): TransportFactory {
  return (host, context) => {
    const transport = factory(host, context);
    made[host.name] = transport;
    return {
      exec: (argv, options) => {
        commands.push({ host: host.name, argv });
        return transport.exec(argv, options);
      },
      close: () => transport.close(),
      ...(transport instanceof SshTransport ? { acceptHostKey: (fp: string) => transport.acceptHostKey(fp) } : {}),
    };
  };
}

async function ping(id: string): Promise<number | 'down'> {
  try {
    return (await fetch(`http://${listen[id]}/api/v4/system/ping`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 'down';
  }
}

function writeHostConfig(file: string, nodes: string[]): void {
  const config = {
    runDir: join(dir, `run-${nodes.join('-')}`),
    env: { SB_DATABASE_URL: database.url, SB_LOG_LEVEL: 'info', SB_DRAIN_MS: '300' },
    nodes: Object.fromEntries(nodes.map((id) => [id, { env: { SB_LISTEN: listen[id] } }])),
  };
  writeFileSync(file, JSON.stringify(config));
}

beforeAll(async () => {
  [database, sshd] = await Promise.all([createTestDatabase(), startSshd({ addresses: ['127.0.1.1', '127.0.1.2'], clientKeyPassphrase: 'correct horse' })]);
  dir = mkdtempSync(join(tmpdir(), 'hosts-ssh-'));
  for (const id of ['n1', 'n2', 'n3']) listen[id] = `127.0.0.1:${await freePort()}`;
  writeHostConfig(join(dir, 'web1.json'), ['n1', 'n2']);
  writeHostConfig(join(dir, 'web2.json'), ['n3']);
  // web2 is reached through an ssh config alias: address, port, user and key all come from it.
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(sshConfig, `Host sb-web2\n  HostName 127.0.1.2\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.clientKeyFile}\n`);
  const ssh = { port: sshd.port, user: sshd.user, keyFile: sshd.clientKeyFile, passphraseSecret: 'client-key' };
  profile = clusterProfileSchema.parse({
    name: 'ssh-test',
    cluster: 'sshtest',
    redis: { url: 'redis://127.0.0.1:6379' },
    postgres: { url: database.url },
    hosts: [
      { name: 'web1', address: '127.0.1.1', ...ssh, hostKeyFingerprint: sshd.hostFingerprint, nodectl: { command: NODECTL, config: join(dir, 'web1.json') }, nodes: ['n1', 'n2'] },
      { name: 'web2', address: 'sb-web2', passphraseSecret: 'client-key', nodectl: { command: NODECTL, config: join(dir, 'web2.json') }, nodes: ['n3'] },
      { name: 'evil', address: '127.0.1.1', ...ssh, hostKeyFingerprint: WRONG_FINGERPRINT, nodectl: { command: NODECTL, config: join(dir, 'web1.json') } },
    ],
  });
  audit = AuditLog.inDataDir(join(dir, 'console'));
  service = new HostService({
    profile,
    secrets: new EnvSecretStore({ SB_SECRET_CLIENT_KEY: 'correct horse' }),
    audit,
    dataDir: join(dir, 'console'),
    // No SSH_AUTH_SOCK: key files only. HOME points at the temp dir so no real ~/.ssh is read.
    transports: spying(createTransportFactory({ env: { HOME: dir, USER: sshd.user }, sshConfigFile: sshConfig })),
  });
}, 60_000);

afterAll(async () => {
  await service?.close();
  for (const runDir of dir && existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('run-')) : []) {
    for (const file of readdirSync(join(dir, runDir)).filter((name) => name.endsWith('.pid'))) {
      const { pid } = JSON.parse(readFileSync(join(dir, runDir, file), 'utf8')) as { pid: number };
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await sshd?.stop();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('host control over SSH (real sshd, real nodectl and nodes)', () => {
  it('refuses `n1; rm -rf /`, unknown hosts and actions before anything connects', async () => {
    const marker = join(dir, 'pwned');
    for (const action of ['start', 'drain', 'kill', 'restart'] as const) {
      await expect(service.action('web1', `n1; touch ${marker}`, action)).rejects.toMatchObject({ id: 'hosts.invalid_argument', message: expect.stringContaining('invalid node id') });
    }
    await expect(service.action('web1', 'n1; rm -rf /', 'start')).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    await expect(service.logs('web1', '$(reboot)', 5)).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    await expect(service.action('web9', 'n1', 'start')).rejects.toMatchObject({ id: 'hosts.unknown_host', message: expect.stringContaining('hosts: web1, web2, evil') });
    await expect(service.action('web1', 'n1', 'format' as 'start')).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    expect(Object.keys(made)).toEqual([]);
    expect(commands).toEqual([]);
    expect(sshd.acceptedLogins()).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('starts two nodes on web1 over one pooled connection (passphrase from the secret store)', async () => {
    const [n1, n2] = await Promise.all([service.action('web1', 'n1', 'start'), service.action('web1', 'n2', 'start')]);
    expect(n1).toMatchObject({ host: 'web1', id: 'n1', running: true, state: 'active', listen: listen.n1 });
    expect(n2).toMatchObject({ host: 'web1', id: 'n2', running: true, state: 'active' });
    expect(await ping('n1')).toBe(200);
    expect(await ping('n2')).toBe(200);
    const before = sshd.acceptedLogins();
    await service.logs('web1', 'n1', 3);
    expect((made.web1 as SshTransport).connectionsOpened).toBe(1);
    expect(sshd.acceptedLogins()).toBe(before);
    expect(commands.at(-1)!.argv.slice(-7)).toEqual(['logs', 'n1', '--lines', '3', '--json', '--config', join(dir, 'web1.json')]);
  }, 60_000);

  it('lists nodes of every host; web2 (unknown key) and evil (wrong pin) are reported, not fatal', async () => {
    const listing = await service.listNodes();
    expect(listing.nodes.map((node) => `${node.host}/${node.id}/${node.state}`)).toEqual(['web1/n1/active', 'web1/n2/active']);
    const failures = Object.fromEntries(listing.failures.map((failure) => [failure.host, failure.error]));
    expect(failures.web2).toMatchObject({ id: 'hosts.host_key_unknown', fingerprint: sshd.hostFingerprint });
    expect(failures.evil).toMatchObject({ id: 'hosts.host_key_mismatch' });
  });

  it('refuses a host whose pinned fingerprint does not match: loudly, and nothing runs', async () => {
    const logins = sshd.acceptedLogins();
    const err = await service.action('evil', 'n1', 'kill').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err).toMatchObject({ expected: [WRONG_FINGERPRINT], got: sshd.hostFingerprint });
    expect((err as Error).message).toMatch(new RegExp(`^HOST KEY MISMATCH for host evil \\(127\\.0\\.1\\.1:${sshd.port}\\): expected ${WRONG_FINGERPRINT}.*got ${sshd.hostFingerprint.replace(/[+/]/g, '\\$&')}`));
    expect(sshd.acceptedLogins()).toBe(logins);
    expect(await ping('n1')).toBe(200);
  });

  it('gives HostKeyUnknownError with ssh-keygen\'s fingerprint on first contact; once accepted, web2 works', async () => {
    const err = await service.action('web2', 'n3', 'start').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyUnknownError);
    expect(err).toMatchObject({ fingerprint: sshd.hostFingerprint, keyType: 'ssh-ed25519', endpoint: `127.0.1.2:${sshd.port}` });
    await expect(service.acceptHostKey('web2', WRONG_FINGERPRINT)).rejects.toBeInstanceOf(HostKeyMismatchError);
    expect(existsSync(join(dir, 'console', 'known_hosts'))).toBe(false);
    const key = await service.acceptHostKey('web2', sshd.hostFingerprint);
    expect(key.fingerprint).toBe(sshd.hostFingerprint);
    const [, , hostKeyBase64] = `x ${sshd.hostKeyPub}`.split(' ');
    expect(readFileSync(join(dir, 'console', 'known_hosts'), 'utf8')).toBe(`[127.0.1.2]:${sshd.port} ssh-ed25519 ${hostKeyBase64}\n`);
    expect(await service.action('web2', 'n3', 'start')).toMatchObject({ host: 'web2', id: 'n3', state: 'active' });
    expect(await ping('n3')).toBe(200);
  }, 60_000);

  it('drains n1 and kills n2; system/ping and nodectl list follow', async () => {
    expect(await service.action('web1', 'n1', 'drain')).toMatchObject({ id: 'n1', running: false, state: 'stopped' });
    expect(await ping('n1')).toBe('down');
    expect(await service.action('web1', 'n2', 'kill')).toMatchObject({ id: 'n2', running: false, state: 'stopped' });
    expect(await ping('n2')).toBe('down');
    const listing = await service.listNodes();
    expect(listing.nodes.map((node) => `${node.host}/${node.id}/${node.state}`)).toEqual(['web1/n1/stopped', 'web1/n2/stopped', 'web2/n3/active']);
  }, 60_000);

  it('maps nodectl exit codes to typed errors', async () => {
    await expect(service.action('web1', 'n1', 'drain')).rejects.toMatchObject({ id: 'nodectl.conflict', exitCode: 4 });
    const unknown = await service.action('web1', 'n9', 'start').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NodectlError);
    expect(unknown).toMatchObject({ id: 'nodectl.unknown_node', exitCode: 3, message: expect.stringMatching(/^host web1: no node "n9"/) });
    expect(await service.logs('web1', 'n1', 5)).toEqual(expect.arrayContaining([expect.stringContaining('stopping')]));
  });

  it('reconnects when the pooled connection drops', async () => {
    const transport = made.web1 as SshTransport;
    const opened = transport.connectionsOpened;
    sshd.dropSessions();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const listing = await service.listNodes();
    expect(listing.failures.map((failure) => failure.host)).toEqual(['evil']);
    expect(listing.nodes.map((node) => `${node.host}/${node.id}`)).toEqual(['web1/n1', 'web1/n2', 'web2/n3']);
    expect(transport.connectionsOpened).toBe(opened + 1);
    expect(await service.action('web2', 'n3', 'kill')).toMatchObject({ id: 'n3', state: 'stopped' });
  }, 30_000);

  it('passes every argv element to the remote shell literally, and times out a command that hangs', async () => {
    const transport = made.web1 as SshTransport;
    const marker = join(dir, 'pwned-over-ssh');
    const args = [`n1; touch ${marker}`, "it's", '$(id)', '`id`', '*', ''];
    const run = await transport.exec([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--', ...args]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual(args);
    expect(existsSync(marker)).toBe(false);
    expect(await transport.exec(['/bin/sh', '-c', 'echo oops >&2; exit 7'])).toEqual({ code: 7, stdout: '', stderr: 'oops\n' });
    await expect(transport.exec(['sleep', '5'], { timeoutMs: 300 })).rejects.toMatchObject({ id: 'hosts.command_timeout' });
    await expect(transport.exec(['echo', 'a\nb'])).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    expect((await transport.exec(['true'])).code).toBe(0);
  });

  it('refuses with hosts.auth_failed when the key passphrase secret is missing or wrong, naming the secret, never a value', async () => {
    const host = profile.hosts[0]!;
    const attempt = async (env: Record<string, string>) => {
      const log = AuditLog.inDataDir(join(dir, 'auth-console'));
      const other = new HostService({ profile: { ...profile, hosts: [host] }, secrets: new EnvSecretStore(env), audit: log, dataDir: join(dir, 'auth-console'), transports: createTransportFactory({ env: { HOME: dir } }) });
      try {
        const outcome = await other.action('web1', 'n1', 'start').then(
          () => undefined,
          (e: unknown) => e as Error & { id: string },
        );
        if (!outcome) throw new Error('the action should have been refused');
        return outcome;
      } finally {
        await other.close();
      }
    };
    const logins = sshd.acceptedLogins();
    const missing = await attempt({});
    expect(missing).toMatchObject({ id: 'hosts.auth_failed', message: expect.stringContaining('the secret "client-key"') });
    expect(missing.message).toContain('SB_SECRET_');
    const wrong = await attempt({ SB_SECRET_CLIENT_KEY: 'wrong horse battery' });
    expect(wrong).toMatchObject({ id: 'hosts.auth_failed' });
    expect(wrong.message).not.toContain('wrong horse');
    expect(sshd.acceptedLogins()).toBe(logins);
    expect(readFileSync(join(dir, 'auth-console', 'audit.jsonl'), 'utf8')).not.toContain('wrong horse');
    expect(await ping('n1')).toBe('down');
  });

  it('authenticates with the SSH agent when the host says agent: true', async () => {
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    const agentLog = AuditLog.inDataDir(join(dir, 'agent-console'));
    const host = { name: 'web1', address: '127.0.1.1', port: sshd.port, user: sshd.user, agent: true, hostKeyFingerprint: sshd.hostFingerprint, nodectl: { command: NODECTL, config: join(dir, 'web1.json') } };
    const agentService = new HostService({
      profile: clusterProfileSchema.parse({ ...profile, name: 'agent-test', hosts: [host] }),
      secrets: new EnvSecretStore({}),
      audit: agentLog,
      dataDir: join(dir, 'agent-console'),
      transports: createTransportFactory({ env: { HOME: dir, SSH_AUTH_SOCK: socket }, sshConfigFile: join(dir, 'none') }),
    });
    try {
      for (let i = 0; i < 100 && !existsSync(socket); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      // The agent holds a decrypted copy of the client key: no passphrase, no key file in the profile.
      const copy = join(dir, 'agent_key');
      copyFileSync(sshd.clientKeyFile, copy);
      execFileSync('ssh-keygen', ['-q', '-p', '-P', sshd.clientKeyPassphrase, '-N', '', '-f', copy]);
      execFileSync('ssh-add', ['-q', copy], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const logins = sshd.acceptedLogins();
      const listing = await agentService.listNodes();
      expect(listing.failures).toEqual([]);
      expect(listing.nodes.map((node) => node.id)).toEqual(['n1', 'n2']);
      expect(sshd.acceptedLogins()).toBe(logins + 1);
    } finally {
      await agentService.close();
      const exited = new Promise((resolve) => agent.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
  });

  it('wrote every action to the audit log, newest first', async () => {
    const { entries, skipped } = await audit.read({ limit: 100 });
    expect(skipped).toBe(0);
    const lines = entries.map((e) => `${e.host} ${e.node} ${e.action} ${e.result}`);
    expect(lines.slice(0, 4)).toEqual(['web2 n3 kill ok', 'web1 n1 logs ok', 'web1 n9 start failed', 'web1 n1 drain failed']);
    expect(lines).toEqual(expect.arrayContaining(['web1 n1 drain ok', 'web1 n2 kill ok', 'web2 null accept-host-key ok', 'evil n1 kill failed', 'web1 n1; rm -rf / start failed']));
    const refused = entries.find((e) => e.node === 'n1; rm -rf /')!;
    expect(refused).toMatchObject({ profile: 'ssh-test', result: 'failed', detail: expect.stringMatching(/^hosts\.invalid_argument: invalid node id/) });
    expect(entries.find((e) => e.host === 'evil')!.detail).toMatch(/^hosts\.host_key_mismatch: HOST KEY MISMATCH/);
    const ts = entries.map((e) => e.ts);
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    expect(JSON.stringify(entries)).not.toContain('correct horse');
  });

  it('closing the service ends every SSH connection (no session left on the server)', async () => {
    expect(sshd.sessionPids().length).toBeGreaterThan(0);
    await service.close();
    for (let i = 0; i < 50 && sshd.sessionPids().length > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sshd.sessionPids()).toEqual([]);
    await expect(service.listNodes()).resolves.toMatchObject({ nodes: [], failures: [{ error: { id: 'hosts.unreachable' } }, { error: { id: 'hosts.unreachable' } }, { error: { id: 'hosts.unreachable' } }] });
  });
});
