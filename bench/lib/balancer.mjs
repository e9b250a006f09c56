// The balancer in front of the nodes for failover: HAProxy (Debian's package) with an HTTP
// health check on system/ping, or, where it is not installed, a small TCP balancer that skips a
// backend refusing connections (as cluster-node/test/support/balancer.ts does).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './procs.mjs';

/**
 * Health-check interval HAProxy uses, ms; a backend is down after two failed checks, a check
 * failing when the ping takes over a second (a node busy with thousands of sockets is slow, not
 * dead: a 100 ms check timeout marked live nodes down and cut their clients). @default 250
 */
export const CHECK_INTERVAL_MS = 250;

function haproxyVersion() {
  try {
    return /version (\S+)/.exec(execFileSync('haproxy', ['-v']).toString())?.[1] ?? 'unknown';
  } catch {
    return undefined;
  }
}

function haproxyConfig(port, socketPath, backends) {
  const servers = backends.map((url, i) => `  server n${i} ${new URL(url).host} check inter ${CHECK_INTERVAL_MS}ms fall 2 rise 2`);
  return `global
  maxconn 8000
  stats socket ${socketPath} mode 600 level admin
defaults
  mode http
  timeout connect 1s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  timeout check 1s
  retries 3
  option redispatch
frontend bench
  bind 127.0.0.1:${port}
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /api/v4/system/ping
  http-check expect status 200
${servers.join('\n')}
`;
}

/** `show stat` over HAProxy's admin socket: server name -> status (UP, DOWN, ...). */
function haproxyStatus(socketPath) {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let text = '';
    socket.on('connect', () => socket.write('show stat\n'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => resolve(new Map()));
    socket.on('end', () => {
      const status = new Map();
      for (const line of text.split('\n')) {
        const fields = line.split(',');
        if (fields[0] === 'nodes' && fields[1] !== 'BACKEND') status.set(fields[1], fields[17]);
      }
      resolve(status);
    });
  });
}

async function startHaproxy(backends) {
  const dir = mkdtempSync(join(tmpdir(), 'sbbench-haproxy-'));
  const port = await freePort();
  const socketPath = join(dir, 'admin.sock');
  writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(port, socketPath, backends));
  const child = spawn('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 100; i += 1) {
    const status = await haproxyStatus(socketPath);
    if (status.size === backends.length && [...status.values()].every((s) => s === 'UP')) break;
    await sleep(50);
  }
  return {
    kind: 'haproxy',
    version: haproxyVersion(),
    url: `http://127.0.0.1:${port}`,
    /** Whether HAProxy has marked backend `index` down. */
    async isDown(index) {
      return (await haproxyStatus(socketPath)).get(`n${index}`)?.startsWith('DOWN') ?? false;
    },
    /** Waits (at most 10 s) until HAProxy has backend `index` up again. */
    async waitUp(index) {
      for (let i = 0; i < 200 && (await haproxyStatus(socketPath)).get(`n${index}`) !== 'UP'; i += 1) await sleep(50);
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function tryConnect(target) {
  return new Promise((resolve) => {
    const socket = createConnection(target);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(undefined));
  });
}

async function startTcpBalancer(backends) {
  const targets = backends.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) }));
  const open = new Set();
  let next = 0;
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    void (async () => {
      for (let attempt = 0; attempt < targets.length; attempt += 1) {
        const upstream = await tryConnect(targets[next]);
        next = (next + 1) % targets.length;
        if (!upstream) continue;
        open.add(upstream);
        upstream.on('close', () => (open.delete(upstream), client.destroy()));
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
        return;
      }
      client.destroy();
    })();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    kind: 'tcp',
    version: 'bench/lib/balancer.mjs',
    url: `http://127.0.0.1:${server.address().port}`,
    /** It notices a dead backend on the next connection it refuses: at once. */
    async isDown() {
      return true;
    },
    async waitUp() {},
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Starts the balancer `kind` (auto: HAProxy if installed, else the TCP one) in front of `backends`. */
export async function startBalancer(kind, backends) {
  const haproxy = kind !== 'tcp' && haproxyVersion();
  if (kind === 'haproxy' && !haproxy) throw new Error('--balancer haproxy: haproxy is not installed (apt-get install -y haproxy)');
  return haproxy ? startHaproxy(backends) : startTcpBalancer(backends);
}
