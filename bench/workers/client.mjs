// One simulated user's WebSocket: Mattermost's protocol against Switchboard (challenge, hello,
// events with seq, resume with connection_id and sequence_number), or Engine.IO v4 / Socket.IO
// against the baseline (open, connect with auth, ping/pong, `42[...]` events). Raw `ws` on both
// sides, so the two systems are read by the same client code at the same cost.
import WebSocket from 'ws';
import { nowUs } from '../lib/stats.mjs';
import { parseBenchMessage, trailingSeq } from '../lib/wire.mjs';

/** How long a client waits for its handshake before counting as failed, ms. @default 60000 */
export const HANDSHAKE_TIMEOUT_MS = 60_000;
/** Reconnect attempts after an unexpected close (failover), 100 ms apart. @default 100 */
export const RECONNECT_ATTEMPTS = 100;

/**
 * A bench client. `onPost(client, numbers)` gets every bench post it receives; in reconnect mode
 * an unexpected close is followed by a resume through the same URL, and each outage is recorded
 * in `outages` as `{closedAtUs, resumedAtUs, fresh}` (`fresh`: the server started a new
 * connection instead of resuming).
 */
export class BenchClient {
  constructor(spec, protocol, onPost, reconnect) {
    this.spec = spec;
    this.protocol = protocol;
    this.onPost = onPost;
    this.reconnect = reconnect;
    this.ws = undefined;
    this.connectionId = '';
    this.lastSeq = -1;
    this.node = '';
    this.outages = [];
    this.stopping = false;
    this.ready = false;
    /** Events other than `posted` and `hello` received (status_change, ...). */
    this.otherEvents = 0;
  }

  /** Opens the socket; resolves true once the handshake is done, false on failure or timeout. */
  open() {
    return new Promise((resolve) => {
      let url = this.spec.url;
      if (this.protocol === 'mattermost' && this.connectionId) url += `?connection_id=${this.connectionId}&sequence_number=${this.lastSeq + 1}`;
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
      this.ws = ws;
      this.ready = false;
      let settled = false;
      let up = false;
      const settle = (ok) => {
        if (ok) up = true;
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(ok);
      };
      const timer = setTimeout(() => {
        settle(false);
        ws.terminate();
      }, HANDSHAKE_TIMEOUT_MS);
      ws.on('open', () => {
        if (this.protocol === 'mattermost') ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: this.spec.token } }));
      });
      ws.on('message', (raw) => this.frame(raw.toString(), settle));
      ws.on('error', () => settle(false));
      ws.on('close', () => {
        settle(false);
        // Only a socket that was up is an outage; a failed attempt is the resume loop's business.
        if (this.ws === ws && up) this.closed();
      });
    });
  }

  /** Closes for good (no reconnect). */
  close() {
    this.stopping = true;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 3_000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close();
    });
  }

  frame(text, settle) {
    if (this.protocol === 'mattermost') this.mattermostFrame(text, settle);
    else this.engineFrame(text, settle);
  }

  mattermostFrame(text, settle) {
    if (text.startsWith('{"event":"posted"')) {
      this.lastSeq = trailingSeq(text);
      const numbers = parseBenchMessage(text);
      if (numbers) this.onPost(this, numbers);
      return;
    }
    if (text.startsWith('{"event":"') && !text.startsWith('{"event":"hello"')) {
      // Other events (a user's own status_change, typing, ...)
      // only move the sequence; parsing each would make the generator the bottleneck.
      this.lastSeq = trailingSeq(text);
      this.otherEvents += 1;
      return;
    }
    const frame = JSON.parse(text);
    if (typeof frame.seq === 'number') this.lastSeq = frame.seq;
    if (frame.event === 'hello') {
      const resuming = this.outages.at(-1);
      if (resuming && resuming.resumedAtUs !== undefined && this.connectionId) resuming.fresh = true;
      this.connectionId = frame.data.connection_id;
      this.node = this.node || frame.data.server_hostname;
      this.ready = true;
      settle(true);
    } else if (frame.seq_reply === 1) {
      if (frame.status !== 'OK') return settle(false);
      // A resumed connection gets no hello: the accepted challenge is the moment it is back.
      const resuming = this.outages.at(-1);
      if (resuming && resuming.resumedAtUs === undefined && this.connectionId) {
        resuming.resumedAtUs = nowUs();
        this.ready = true;
        settle(true);
      }
    }
  }

  engineFrame(text, settle) {
    if (text.startsWith('42["posted"')) {
      const numbers = parseBenchMessage(text);
      if (numbers) this.onPost(this, numbers);
    } else if (text === '2') this.ws.send('3');
    else if (text.startsWith('0{')) this.ws.send(`40${JSON.stringify({ channels: this.spec.channels })}`);
    else if (text.startsWith('40')) {
      this.ready = true;
      settle(true);
    } else if (text.startsWith('44')) settle(false);
  }

  closed() {
    this.ready = false;
    if (this.stopping || !this.reconnect) return;
    this.outages.push({ closedAtUs: nowUs(), resumedAtUs: undefined, fresh: false });
    void this.resume();
  }

  async resume() {
    for (let attempt = 0; attempt < RECONNECT_ATTEMPTS && !this.stopping; attempt += 1) {
      if (await this.open()) return;
      this.ws?.terminate();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
