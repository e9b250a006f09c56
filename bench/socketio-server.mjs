#!/usr/bin/env node
// The baseline a team would pick instead: Socket.IO with @socket.io/redis-adapter, one process
// per "node". It does what Switchboard's fan-out does minus Postgres: `POST /post` builds the same
// `posted` payload as Switchboard's PostService and emits it to the channel's room; every server
// sends it to its local sockets in that room. Nothing is stored. Clients name their channels in
// the handshake's auth (`{channels: [index, ...]}`) and join one room per channel.
// Environment: PORT, REDIS_URL, SIO_KEY (adapter key prefix), NODE_NAME.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const name = process.env.NODE_NAME ?? `sio-${port}`;
const MAX_BODY = 64 * 1024;

/** A 26-character id of [a-z0-9], like Switchboard's. */
function newId() {
  return BigInt(`0x${randomBytes(17).toString('hex')}`).toString(36).padStart(26, '0').slice(-26);
}

/** The `posted` event as Switchboard sends it (same fields and sizes), for a post body. */
function postedEvent(body) {
  const now = Date.now();
  const post = {
    id: newId(), create_at: now, update_at: now, edit_at: 0, delete_at: 0, is_pinned: false,
    user_id: body.user_id, channel_id: body.channel_id, root_id: '', original_id: '', message: body.message,
    type: '', props: {}, hashtags: '', pending_post_id: body.pending_post_id ?? '', reply_count: 0, metadata: {},
  };
  const data = {
    channel_display_name: body.channel_name, channel_name: body.channel_name, channel_type: 'O', post: JSON.stringify(post),
    sender_name: `@${body.sender_name}`, team_id: body.team_id, set_online: true,
  };
  return { post, event: { event: 'posted', data, broadcast: { omit_users: null, user_id: '', channel_id: body.channel_id, team_id: '' } } };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function validPost(body) {
  return body && Number.isInteger(body.channel) && body.channel >= 0 && typeof body.message === 'string' && typeof body.channel_id === 'string' && typeof body.user_id === 'string';
}

async function handle(io, req, res) {
  if (req.method === 'GET' && req.url === '/ping') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
  if (req.method !== 'POST' || req.url !== '/post') return void res.writeHead(404).end();
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    body = undefined;
  }
  if (!validPost(body)) return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"id":"bad_request"}');
  const { post, event } = postedEvent(body);
  io.to(`c${body.channel}`).emit('posted', event);
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(post));
}

function joinChannels(socket) {
  const channels = socket.handshake.auth?.channels;
  if (!Array.isArray(channels) || !channels.every((c) => Number.isInteger(c) && c >= 0)) {
    socket.disconnect(true);
    return;
  }
  socket.join(channels.map((c) => `c${c}`));
}

async function main() {
  const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sub = pub.duplicate();
  const server = createServer();
  const io = new Server(server, { transports: ['websocket'], serveClient: false, adapter: createAdapter(pub, sub, { key: process.env.SIO_KEY ?? 'sbbench-sio' }) });
  server.on('request', (req, res) => handle(io, req, res).catch(() => res.writeHead(500).end()));
  io.on('connection', joinChannels);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stop = () => {
    io.close();
    pub.disconnect();
    sub.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${name} listening on 127.0.0.1:${port}\n`);
}

main().catch((err) => {
  process.stderr.write(`${name}: ${err.stack ?? err}\n`);
  process.exit(1);
});
