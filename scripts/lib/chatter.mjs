// Light bot traffic so the console's charts move: each demo bot holds a WebSocket on its own
// node (presence: online), posts in #bot-chatter through its node every few seconds in turn (so
// every origin -> receiver latency pair gets samples), sometimes types first, and now and then
// one bot drops its socket for a while (presence goes offline and back). A bot whose node is gone
// (killed from the console) moves to the next node. Nothing here ever stops the demo.
import { appendFileSync } from 'node:fs';
import WebSocket from 'ws';
import { api } from './api.mjs';

/** Time between two posts (of any bot), ms. @default 2500 */
export const CHATTER_INTERVAL_MS = 2_500;

/** Every this often one bot goes offline, ms. @default 30000 */
export const PRESENCE_BLIP_EVERY_MS = 30_000;

/** How long a bot stays offline, ms. @default 8000 */
export const PRESENCE_BLIP_MS = 8_000;

const LINES = [
  'deploy of build {n} looks green from here',
  'coffee machine on floor 3 is back',
  'anyone seen the latency chart? it is flat as a lake',
  'ping from {node}',
  'reading the resume code again, still neat',
  'message {n}: nothing to report',
  'who is on call this week?',
  'the leader lease just renewed, as it does',
];

/** The bots' traffic; `stop()` ends it and closes every socket. */
export class Chatter {
  /**
   * @param {{bots: {username: string, id: string, token: string}[], channelId: string, nodes: {id: string, url: string}[], logFile: string}} deps
   */
  constructor(deps) {
    this.deps = deps;
    this.stopped = false;
    this.count = 0;
    this.timers = new Set();
    this.bots = deps.bots.map((bot, i) => ({ ...bot, nodeIndex: i % deps.nodes.length, socket: undefined, seq: 1, away: false }));
  }

  log(line) {
    try {
      appendFileSync(this.deps.logFile, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // a log that cannot be written is no reason to stop chatting
    }
  }

  later(ms, fn) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(timer);
  }

  node(bot) {
    return this.deps.nodes[bot.nodeIndex];
  }

  /** Opens the bot's socket on its node; on a close it did not ask for, retries on the next node. */
  connect(bot) {
    if (this.stopped || bot.away) return;
    const node = this.node(bot);
    const socket = new WebSocket(`${node.url.replace(/^http/, 'ws')}/api/v4/websocket`, { headers: { authorization: `Bearer ${bot.token}` } });
    bot.socket = socket;
    socket.on('open', () => this.log(`${bot.username} online on ${node.id}`));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (bot.socket !== socket) return;
      bot.socket = undefined;
      if (this.stopped || bot.away) return;
      bot.nodeIndex = (bot.nodeIndex + 1) % this.deps.nodes.length;
      this.log(`${bot.username} lost its socket on ${node.id}; reconnecting to ${this.node(bot).id}`);
      this.later(1_000, () => this.connect(bot));
    });
  }

  /** One post by the next bot, through its node (or the next ones, when that node is gone). */
  async post() {
    const bot = this.bots[this.count % this.bots.length];
    this.count += 1;
    const n = this.count;
    if (bot.socket?.readyState === WebSocket.OPEN && n % 3 === 0) {
      bot.socket.send(JSON.stringify({ action: 'user_typing', seq: bot.seq++, data: { channel_id: this.deps.channelId } }));
    }
    for (let attempt = 0; attempt < this.deps.nodes.length; attempt += 1) {
      const node = this.deps.nodes[(bot.nodeIndex + attempt) % this.deps.nodes.length];
      const message = LINES[n % LINES.length].replace('{n}', String(n)).replace('{node}', node.id);
      try {
        const reply = await api(node.url, 'POST', '/posts', { token: bot.token, body: { channel_id: this.deps.channelId, message } });
        if (reply.status === 201) return;
        this.log(`${bot.username} post via ${node.id}: HTTP ${reply.status}`);
      } catch (err) {
        this.log(`${bot.username} post via ${node.id}: ${err.message}`);
      }
    }
  }

  /** One bot goes offline for {@link PRESENCE_BLIP_MS}, then comes back. */
  blip() {
    const bot = this.bots[Math.floor(this.count / 7) % this.bots.length];
    if (bot.socket) {
      bot.away = true;
      this.log(`${bot.username} goes offline for ${PRESENCE_BLIP_MS} ms`);
      bot.socket.close(1000);
      bot.socket = undefined;
      this.later(PRESENCE_BLIP_MS, () => {
        bot.away = false;
        this.connect(bot);
      });
    }
    this.later(PRESENCE_BLIP_EVERY_MS, () => this.blip());
  }

  /** Connects every bot and starts posting. */
  start() {
    for (const bot of this.bots) this.connect(bot);
    const tick = () => {
      void this.post().finally(() => this.later(CHATTER_INTERVAL_MS, tick));
    };
    this.later(CHATTER_INTERVAL_MS, tick);
    this.later(PRESENCE_BLIP_EVERY_MS, () => this.blip());
  }

  /** Stops posting and closes every socket (the bots go offline). */
  async stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = this.bots
      .map((bot) => bot.socket)
      .filter(Boolean)
      .map((socket) => new Promise((resolve) => (socket.once('close', resolve), socket.close(1000), setTimeout(() => (socket.terminate(), resolve()), 1_000).unref())));
    await Promise.all(closing);
  }
}
