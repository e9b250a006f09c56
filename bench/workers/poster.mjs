#!/usr/bin/env node
// Load generator: posts over REST at a fixed rate on an open-loop schedule (post i is due at
// start + i/rate whatever happened to earlier ones, so a slow server cannot slow the offered
// load down and hide its own latency). Each post's message carries its due time; receivers time
// deliveries against it. Driven over IPC by the runner (lib/rpc.mjs).
import http from 'node:http';
import { encodeHistogram, newHistogram, nowUs, recordUs } from '../lib/stats.mjs';
import { serve } from '../lib/rpc.mjs';
import { benchMessage } from '../lib/wire.mjs';

/** Bodies per protocol: Switchboard's Mattermost route, or the baseline's `POST /post`. */
function request(job, post) {
  const channel = job.channels[post.channel];
  const pending = `${channel.userId}:${job.phase}-${post.seq}`;
  if (job.protocol === 'mattermost') {
    return { path: '/api/v4/posts', token: channel.token, body: { channel_id: channel.id, message: post.message, pending_post_id: pending } };
  }
  const body = { channel: post.channel, channel_id: channel.id, user_id: channel.userId, message: post.message, channel_name: channel.name, sender_name: channel.username, team_id: channel.teamId, pending_post_id: pending };
  return { path: '/post', body };
}

function send(agent, base, { path, token, body }, timeoutMs) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request(`${base}${path}`, { method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

async function postWithRetries(state, post) {
  const req = request(state.job, post);
  for (let attempt = 0; attempt <= state.job.retries; attempt += 1) {
    const status = await send(state.agent, state.job.base, req, state.job.requestTimeoutMs);
    if (status === 201) {
      recordUs(state.histogram, nowUs() - post.dueUs);
      state.acked.push([post.seq, post.channel]);
      return;
    }
    state.errors[status] = (state.errors[status] ?? 0) + 1;
    if (attempt < state.job.retries) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts every post that is due, within the in-flight cap; resolves when all are done. */
function schedule(state) {
  const { job } = state;
  const intervalUs = 1_000_000 / job.rate;
  const startUs = nowUs() + 20_000;
  let next = 0;
  let inFlight = 0;
  let timer;
  return new Promise((resolve) => {
    const pump = () => {
      clearTimeout(timer);
      const now = nowUs();
      while (next < job.schedule.length && inFlight < job.maxInFlight && startUs + next * intervalUs <= now) {
        const dueUs = Math.round(startUs + next * intervalUs);
        const post = { seq: next, channel: job.schedule[next], dueUs, message: benchMessage(job.phase, next, job.schedule[next], dueUs) };
        if (now - dueUs > 5_000) state.late += 1;
        next += 1;
        inFlight += 1;
        void postWithRetries(state, post).finally(() => {
          inFlight -= 1;
          if (next >= job.schedule.length && inFlight === 0) resolve();
          else if (inFlight === job.maxInFlight - 1) pump();
        });
      }
      if (next < job.schedule.length) timer = setTimeout(pump, Math.max(0, Math.min(50, (startUs + next * intervalUs - nowUs()) / 1000)));
    };
    pump();
  });
}

async function run(job) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.maxInFlight });
  const state = { job, agent, histogram: newHistogram(), acked: [], errors: {}, late: 0 };
  const cpu = process.cpuUsage();
  const started = Date.now();
  const deadline = new Promise((resolve) => setTimeout(resolve, job.durationMs + job.requestTimeoutMs * (job.retries + 1) + 5_000).unref());
  await Promise.race([schedule(state), deadline]);
  const wallMs = Date.now() - started;
  agent.destroy();
  const used = process.cpuUsage(cpu);
  return {
    acked: state.acked,
    offered: job.schedule.length,
    // Posts given up after their retries, and any still unanswered at the deadline.
    failed: job.schedule.length - state.acked.length,
    errors: state.errors,
    late: state.late,
    histogram: encodeHistogram(state.histogram),
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
  };
}

serve({ run, ping: () => ({ pid: process.pid }) });
