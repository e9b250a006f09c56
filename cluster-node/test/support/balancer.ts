import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarding balancer for failover tests: round-robin over backends, skipping one that
 * refuses the connection, as a balancer with health checks would after a node dies.
 */
export interface Balancer {
  url: string;
  /** Connections accepted per backend index. */
  counts: number[];
  close(): Promise<void>;
}

function connectTo(target: { host: string; port: number }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(target);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Starts a balancer on a free loopback port in front of `backends` (http://host:port URLs). */
export async function startBalancer(backends: string[]): Promise<Balancer> {
  const targets = backends.map((url) => {
    const { hostname, port } = new URL(url);
    return { host: hostname, port: Number(port) };
  });
  const counts = targets.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    void (async () => {
      for (let attempt = 0; attempt < targets.length; attempt += 1) {
        const index = next;
        next = (next + 1) % targets.length;
        try {
          const upstream = await connectTo(targets[index]!);
          counts[index]! += 1;
          open.add(upstream);
          upstream.on('close', () => {
            open.delete(upstream);
            client.destroy();
          });
          upstream.on('error', () => upstream.destroy());
          client.on('close', () => upstream.destroy());
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
          return;
        } catch {
          // that backend is down: try the next one
        }
      }
      client.destroy();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
