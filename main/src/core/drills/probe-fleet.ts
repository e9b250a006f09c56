import { createHash } from 'node:crypto';
import { PROBE_TEAM_NAME, SwitchboardError } from '@switchboard/shared';
import { apiRequest, type ApiReply } from '../observer/probe-fixtures.js';
import type { ProbeLog } from './checker.js';
import { ProbeClient, type ProbeClientOptions } from './probe-client.js';

/** A node the probes start on. */
export interface FleetNode {
  id: string;
  url: string;
}

/** What the fleet is set up with. */
export interface ProbeFleetOptions {
  runId: string;
  /** The balancer (profile apiUrl): set-up requests and every reconnection go through it. */
  apiUrl: string;
  /** The probe users' password (the `probe-password` secret). */
  password: string;
  nodes: readonly FleetNode[];
  /** Probe clients: one per node, or this many spread over the nodes. */
  clients: 'per-node' | number;
  ratePerSecond: number;
  resume: boolean;
  backfill: boolean;
  onMilestone?: (client: string, ...args: Parameters<NonNullable<ProbeClientOptions['onMilestone']>>) => void;
}

function refuse(step: string, reply: ApiReply): never {
  throw new SwitchboardError('drill.failed', { message: `Probe set-up failed: ${step}.`, detail: `HTTP ${reply.status} ${String(reply.body.id ?? reply.body.message ?? '')}`.trim() });
}

function idOf(step: string, reply: ApiReply): string {
  if (typeof reply.body.id !== 'string') refuse(step, reply);
  return reply.body.id;
}

/** Logs a probe user in, signing it up first when it does not exist. */
async function probeUser(apiUrl: string, username: string, password: string): Promise<{ token: string; userId: string }> {
  const login = () => apiRequest(apiUrl, 'POST', '/users/login', undefined, { login_id: username, password });
  let reply = await login();
  if (reply.status === 401) {
    const created = await apiRequest(apiUrl, 'POST', '/users', undefined, { username, email: `${username}@switchboard-probe.invalid`, password });
    if (created.status !== 201) refuse(`sign-up of ${username}`, created);
    reply = await login();
  }
  if (reply.status !== 200 || !reply.token) refuse(`login of ${username} (is the probe-password secret the one it was created with?)`, reply);
  return { token: reply.token, userId: idOf(`login of ${username}`, reply) };
}

/**
 * The probe users' names: `drill-p<n>-<first 8 hex of SHA-256 of the password>`. Each password
 * gets users of its own, so drills run with different probe passwords against one cluster (the
 * CLI's generated one, the console's secret) never lock each other out of a shared account; the
 * digest prefix says nothing usable about the password.
 */
export function probeUsername(index: number, password: string): string {
  return `drill-p${index + 1}-${createHash('sha256').update(password).digest('hex').slice(0, 8)}`;
}

/** Joins an open team or channel unless already a member. */
async function join(apiUrl: string, token: string, what: string, memberPath: string, joinPath: string, body: unknown): Promise<void> {
  if ((await apiRequest(apiUrl, 'GET', memberPath, token)).status === 200) return;
  const joined = await apiRequest(apiUrl, 'POST', joinPath, token, body);
  if (joined.status !== 201 && joined.status !== 200) refuse(`joining ${what}`, joined);
}

/**
 * The drill's probe clients: signs up (or logs in) the probe users ({@link probeUsername}), makes a channel
 * of the run's own in the probe team (`drill-<run id>`) and has every user join it, then opens
 * one client per node (each starting on its node, failing over through the balancer).
 */
export class ProbeFleet {
  readonly clients: ProbeClient[] = [];
  channelId = '';
  #baselineEndAt = 0;
  #postingEndedAt = 0;

  constructor(private readonly options: ProbeFleetOptions) {}

  /** Sets up users and channel, connects every client. Throws `drill.failed` naming the step. */
  async start(): Promise<void> {
    const { apiUrl, password, nodes, runId } = this.options;
    if (nodes.length === 0) throw new SwitchboardError('drill.failed', { message: 'No active node to put probe clients on.' });
    const count = this.options.clients === 'per-node' ? Math.max(2, nodes.length) : this.options.clients;
    const users = await Promise.all(Array.from({ length: count }, (_, i) => probeUser(apiUrl, probeUsername(i, password), password)));
    const owner = users[0]!;
    const teamReply = await apiRequest(apiUrl, 'GET', `/teams/name/${PROBE_TEAM_NAME}`, owner.token);
    const teamId =
      teamReply.status === 200
        ? idOf('team lookup', teamReply)
        : idOf('team creation', await apiRequest(apiUrl, 'POST', '/teams', owner.token, { name: PROBE_TEAM_NAME, display_name: 'Switchboard probe', type: 'O' }));
    const channelName = `drill-${runId.replace(/[^a-z0-9]/g, '')}`.slice(0, 64);
    for (const user of users) await join(apiUrl, user.token, `team ${PROBE_TEAM_NAME}`, `/teams/${teamId}/members/${user.userId}`, `/teams/${teamId}/members`, { team_id: teamId, user_id: user.userId });
    const created = await apiRequest(apiUrl, 'POST', '/channels', owner.token, { team_id: teamId, name: channelName, display_name: `Drill ${runId}`, type: 'O' });
    this.channelId = idOf(`creation of channel ${channelName}`, created);
    for (const user of users) await join(apiUrl, user.token, `channel ${channelName}`, `/channels/${this.channelId}/members/${user.userId}`, `/channels/${this.channelId}/members`, { user_id: user.userId });
    users.forEach((user, i) => {
      const node = nodes[i % nodes.length]!;
      const name = `p${i + 1}`;
      this.clients.push(
        new ProbeClient({
          name,
          node: node.id,
          nodeUrl: node.url,
          apiUrl,
          token: user.token,
          channelId: this.channelId,
          runId,
          ratePerSecond: this.options.ratePerSecond,
          resume: this.options.resume,
          backfill: this.options.backfill,
          onMilestone: (...args) => this.options.onMilestone?.(name, ...args),
        }),
      );
    });
    await Promise.all(this.clients.map((client) => client.connect()));
  }

  /** Every client starts posting. */
  startPosting(): void {
    for (const client of this.clients) client.startPosting();
  }

  /** Marks the end of the baseline (posts sent before it measure the steady state). */
  endBaseline(at: number): void {
    this.#baselineEndAt = at;
  }

  /** Every client stops posting. */
  stopPosting(at: number): void {
    this.#postingEndedAt = at;
    for (const client of this.clients) client.stopPosting();
  }

  /** Clients connected now. */
  connectedCount(): number {
    return this.clients.filter((client) => client.connected).length;
  }

  /**
   * Acknowledged posts sent before `olderThan` that some other client has not received yet:
   * the live `no-loss` check, and what the final wait waits for.
   */
  overdue(olderThan: number): number {
    const received = new Map<string, Set<string>>();
    for (const client of this.clients) received.set(client.options.name, new Set(client.receipts.map((receipt) => `${receipt.sender}#${receipt.n}`)));
    let overdue = 0;
    for (const client of this.clients) {
      for (const send of client.sends) {
        if (send.ackAt === null || send.sentAt >= olderThan) continue;
        const postKey = `${send.client}#${send.n}`;
        if (this.clients.some((other) => other !== client && !received.get(other.options.name)!.has(postKey))) overdue += 1;
      }
    }
    return overdue;
  }

  /** Delivery latencies (ms) of live receipts that arrived in [from, to). */
  latenciesBetween(from: number, to: number): number[] {
    const sentAt = new Map<string, number>();
    for (const client of this.clients) for (const send of client.sends) sentAt.set(`${send.client}#${send.n}`, send.sentAt);
    const values: number[] = [];
    for (const client of this.clients) {
      for (const receipt of client.receipts) {
        if (receipt.via !== 'ws' || receipt.at < from || receipt.at >= to || receipt.sender === receipt.receiver) continue;
        const sent = sentAt.get(`${receipt.sender}#${receipt.n}`);
        if (sent !== undefined) values.push(receipt.at - sent);
      }
    }
    return values;
  }

  /** Counts in [from, to): posts acknowledged, deliveries, failed attempts. */
  countsBetween(from: number, to: number): { acknowledged: number; deliveries: number; errors: number } {
    let acknowledged = 0;
    let deliveries = 0;
    let errors = 0;
    for (const client of this.clients) {
      for (const send of client.sends) {
        if (send.ackAt !== null && send.ackAt >= from && send.ackAt < to) acknowledged += 1;
        if (send.ackAt === null && send.error !== null && send.sentAt >= from && send.sentAt < to) errors += 1;
      }
      for (const receipt of client.receipts) if (receipt.at >= from && receipt.at < to && receipt.sender !== receipt.receiver) deliveries += 1;
    }
    return { acknowledged, deliveries, errors };
  }

  /** Everything recorded, for the checker. */
  probeLog(deliveryTimeoutMs: number): ProbeLog {
    return {
      clients: this.clients.map((client) => client.log),
      sends: this.clients.flatMap((client) => client.sends),
      receipts: this.clients.flatMap((client) => client.receipts),
      baselineEndAt: this.#baselineEndAt,
      postingEndedAt: this.#postingEndedAt,
      deliveryTimeoutMs,
    };
  }

  /** Closes every client. */
  close(): void {
    for (const client of this.clients) client.close();
  }
}
