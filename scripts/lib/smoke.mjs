// `npm run demo -- --smoke`: what the running demo must answer before it stops. Each check
// resolves a one-line result or throws saying what is wrong.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { api, apiOk, ensureUser } from './api.mjs';
import { DEMO_PASSWORD } from './seed.mjs';

async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/**
 * The chat page: `/` through the balancer answers the built web client (HTML whose module script
 * loads too), not the node's "not built" page. A checkout without the web client (no
 * cluster-node/web) cannot serve one: then the check says so instead of failing.
 */
export async function checkChatPage(root, chatUrl) {
  const page = await get(`${chatUrl}/`);
  if (!existsSync(join(root, 'cluster-node', 'web'))) {
    if (page.status === 404) return `${chatUrl}/ answers 404: this checkout has no web chat client (cluster-node/web)`;
  }
  if (page.status !== 200 || !page.type.startsWith('text/html')) throw new Error(`${chatUrl}/ answered ${page.status} ${page.type}, not the chat page`);
  if (/not built/i.test(page.text)) throw new Error(`${chatUrl}/ serves the node's "web client not built" page`);
  const script = /<script[^>]+src="([^"]+)"/i.exec(page.text)?.[1];
  if (!script) throw new Error(`${chatUrl}/ serves HTML without the web client's script`);
  const asset = await get(new URL(script, `${chatUrl}/`).toString());
  if (asset.status !== 200 || !/javascript/.test(asset.type)) throw new Error(`the chat page's script ${script} answered ${asset.status} ${asset.type}`);
  return `${chatUrl}/ serves the chat page and its script ${script} (${asset.text.length} bytes)`;
}

/** Opens a WebSocket as `token` and resolves with a function waiting for the first event matching `match`. */
async function openSocket(url, token) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v4/websocket`, { headers: { authorization: `Bearer ${token}` } });
  const events = [];
  const waiters = new Set();
  socket.on('message', (data) => {
    const event = JSON.parse(data.toString());
    events.push(event);
    for (const waiter of waiters) waiter();
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const next = (match, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error('no matching WebSocket event within 10 s'))), timeoutMs);
      waiters.add(check);
      check();
    });
  return { socket, next };
}

/**
 * The API through the balancer: ping, logins, a post by alice through the balancer that bob's
 * WebSocket (upgraded through the balancer too) receives, and that every node can read back.
 */
export async function checkApi(chatUrl, nodes, channels) {
  const ping = await apiOk(chatUrl, 'GET', '/system/ping');
  if (ping.status !== 'OK') throw new Error(`system/ping through ${chatUrl} answered ${JSON.stringify(ping)}`);
  const alice = await ensureUser(chatUrl, 'alice', DEMO_PASSWORD);
  const bob = await ensureUser(chatUrl, 'bob', DEMO_PASSWORD);
  const { socket, next } = await openSocket(chatUrl, bob.token);
  try {
    await next((event) => event.event === 'hello');
    const message = `smoke check ${Date.now()}`;
    const post = await apiOk(chatUrl, 'POST', '/posts', { token: alice.token, body: { channel_id: channels['bot-chatter'].id, message } }, [201]);
    await next((event) => event.event === 'posted' && JSON.parse(event.data.post).id === post.id);
    for (const node of nodes) {
      const read = await api(node.url, 'GET', `/posts/${post.id}`, { token: bob.token });
      if (read.status !== 200 || read.body.message !== message) throw new Error(`node ${node.id} does not serve the post just made (HTTP ${read.status})`);
    }
  } finally {
    socket.terminate();
  }
  return `${chatUrl}: ping, logins, a post delivered over a WebSocket through it, read back from ${nodes.map((node) => node.id).join(', ')}`;
}

/** A client of the console's web bridge (/ipc), authenticated with the launch token. */
async function ipcClient(origin, token) {
  const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/ipc?token=${encodeURIComponent(token)}`, { headers: { origin } });
  const pending = new Map();
  let counter = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'response') pending.get(frame.id)?.(frame);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`the console refused /ipc: HTTP ${res.statusCode}`)));
  });
  const invoke = (method, input = {}) =>
    new Promise((resolve, reject) => {
      const id = `smoke-${(counter += 1)}`;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer within 15 s`)), 15_000);
      pending.set(id, (frame) => {
        clearTimeout(timer);
        pending.delete(id);
        if (frame.ok) resolve(frame.output);
        else reject(new Error(`${method}: ${frame.error.id}: ${frame.error.message} ${frame.error.detail}`));
      });
      socket.send(JSON.stringify({ type: 'request', id, method, input }));
    });
  return { invoke, close: () => socket.terminate() };
}

/**
 * The console: its page is the built renderer, and through its bridge it sees the demo's three
 * nodes in Redis with a leader, nodectl reports them running (the local profile reaches the
 * demo's host config), and Postgres is reachable.
 */
export async function checkConsole(consoleInfo, nodes, waitFor) {
  const page = await get(`${consoleInfo.origin}/`);
  if (page.status !== 200 || !page.type.startsWith('text/html')) throw new Error(`the console page answered ${page.status} ${page.type}`);
  if (/not built/i.test(page.text) || !/<script/i.test(page.text)) throw new Error('the console serves its "renderer not built" page');
  const client = await ipcClient(consoleInfo.origin, consoleInfo.token);
  try {
    const ids = nodes.map((node) => node.id).sort();
    const snapshot = await waitFor('the console to see every node and a leader', async () => {
      const value = await client.invoke('cluster.snapshot');
      const active = value.nodes.filter((node) => node.state === 'active').map((node) => node.id).sort();
      return value.leader && JSON.stringify(active) === JSON.stringify(ids) ? value : undefined;
    });
    const listing = await client.invoke('hosts.listNodes');
    const running = listing.nodes.filter((node) => node.running).map((node) => node.id).sort();
    if (JSON.stringify(running) !== JSON.stringify(ids)) throw new Error(`nodectl through the console lists ${running.join(', ') || 'nothing'} running, expected ${ids.join(', ')}`);
    const postgres = await client.invoke('postgres.health');
    if (!postgres.reachable) throw new Error(`the console cannot reach Postgres: ${postgres.error?.message}`);
    return `${consoleInfo.origin}/ serves the console; it sees ${ids.join(', ')} active with ${snapshot.leader.nodeId} leading, nodectl runs them, Postgres reachable`;
  } finally {
    client.close();
  }
}
