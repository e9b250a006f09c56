import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig, parseHaproxyStat, type HaproxyConfigOptions, type HaproxyServer, type HaproxyServerStatus } from '@switchboard/shared';

/** A running HAProxy in front of nodes. */
export interface HaproxyProcess {
  /** http://127.0.0.1:PORT: what the profile's apiUrl points at. */
  url: string;
  port: number;
  /** The generated configuration file. */
  configFile: string;
  statsSocket: string;
  /** Every server's state from the admin socket (`show stat`). */
  status(): Promise<HaproxyServerStatus[]>;
  /** Waits until every server is UP (at most `timeoutMs`). */
  waitAllUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback TCP port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `show stat` over the admin socket; empty when it cannot be reached. */
function showStat(socketPath: string): Promise<HaproxyServerStatus[]> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let text = '';
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => resolve([]));
    socket.on('end', () => resolve(parseHaproxyStat(text)));
  });
}

/** The installed HAProxy's version, or undefined when it is not installed. */
export function haproxyVersion(): Promise<string | undefined> {
  return new Promise((resolve) => execFile('haproxy', ['-v'], (err, stdout) => resolve(err ? undefined : (/version (\S+)/.exec(stdout)?.[1] ?? 'unknown'))));
}

/** HAProxy's start failed because its port was taken (between our free-port probe and its bind). */
class PortTakenError extends Error {}

/**
 * Starts Debian's `haproxy` on a free loopback port (or `port`) with the generated configuration
 * (shared `haproxyConfig`: HTTP mode, health checks on system/ping, fast inter/fall/rise,
 * redispatch, `noreuseport`, an admin socket) in front of `servers`, and waits until all are UP.
 * A free port another process takes before HAProxy binds it fails the bind (never shared, thanks
 * to `noreuseport`); then it tries again on another free port, up to three times.
 * @example const lb = await startHaproxy([{ name: 'n1', address: '127.0.0.1:8065' }]); profile.apiUrl = lb.url;
 */
export async function startHaproxy(servers: readonly HaproxyServer[], options: Partial<Omit<HaproxyConfigOptions, 'servers' | 'bind' | 'statsSocket'>> & { port?: number } = {}): Promise<HaproxyProcess> {
  if ((await haproxyVersion()) === undefined) throw new Error('haproxy is not installed (Debian: apt-get install -y haproxy)');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(servers, options);
    } catch (err) {
      if (!(err instanceof PortTakenError) || options.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function startOnce(servers: readonly HaproxyServer[], options: Partial<Omit<HaproxyConfigOptions, 'servers' | 'bind' | 'statsSocket'>> & { port?: number }): Promise<HaproxyProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-haproxy-'));
  const port = options.port ?? (await freePort());
  const statsSocket = join(dir, 'admin.sock');
  const configFile = join(dir, 'haproxy.cfg');
  const { port: _port, ...configOptions } = options;
  await writeFile(configFile, haproxyConfig({ ...configOptions, bind: `127.0.0.1:${port}`, statsSocket, servers }));
  const child = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const status = () => showStat(statsSocket);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const waitAllUp = async (timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) {
        const message = `haproxy exited with code ${child.exitCode}: ${stderr.trim().split('\n').pop() ?? ''}`;
        throw /cannot bind|address already in use/i.test(stderr) ? new PortTakenError(message) : new Error(message);
      }
      const rows = await status();
      if (rows.length === servers.length && rows.every((row) => row.status === 'UP')) return;
      if (Date.now() > deadline) throw new Error(`haproxy: not every server UP within ${timeoutMs} ms: ${rows.map((row) => `${row.server} ${row.status}`).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  try {
    await waitAllUp();
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, port, configFile, statsSocket, status, waitAllUp, close };
}
