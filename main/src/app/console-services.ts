import { randomUUID } from 'node:crypto';
import { isSwitchboardError, SwitchboardError, type ClusterProfile, type EventPayload, type HostActionEvent, type LeaderChange, type NodeAction, type ObserverUpdate } from '@switchboard/shared';
import type { Logger } from 'pino';
import { HostKeyUnknownError, type HostService } from '../core/hosts/index.js';
import type { AuditLog } from '../core/audit/index.js';
import type { DrillService } from '../core/drills/index.js';
import type { ConsoleServices, Unsubscribe } from '../ipc/services.js';
import { createDrillServices } from './drill-services.js';
import { leaderChangeDetector } from './leader-changes.js';
import type { ProfileCatalog } from './profile-catalog.js';
import type { ProfileSession } from './profile-session.js';

/**
 * The console services the router calls, over the session of the selected profile. Selecting a
 * profile opens its session, moves every live subscription to it (each listener gets a fresh
 * snapshot), then closes the previous session.
 */

/** What the adapter needs. */
export interface ConsoleServicesDeps {
  catalog: ProfileCatalog;
  audit: AuditLog;
  /** Opens a profile's session (openProfileSession with the console's deps). */
  openSession(profile: ClusterProfile): Promise<ProfileSession>;
  /** The session already open for the starting profile. */
  initial: ProfileSession;
  /** The drill engine; its runs target the selected profile. */
  drills: DrillService;
  log: Logger;
}

/** The services and their lifecycle. */
export interface ConsoleServiceSet {
  services: ConsoleServices;
  /** The selected profile's session. */
  current(): ProfileSession;
  /** Closes the current session and drops every listener. */
  close(): Promise<void>;
}

/** A set of listeners. */
class Fanout<T> {
  readonly #listeners = new Set<(value: T) => void>();
  add(listener: (value: T) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }
  clear(): void {
    this.#listeners.clear();
  }
}

/** The error body an action event carries. */
function errorBody(err: unknown): NonNullable<HostActionEvent['error']> {
  if (isSwitchboardError(err)) return { id: err.id, message: err.message, detail: err.detail };
  return { id: 'internal.error', message: 'An internal error occurred.', detail: '' };
}

/** A first-contact host key error, with the fingerprint in `detail` for the renderer to offer accepting it. */
function withFingerprint(err: unknown): unknown {
  if (!(err instanceof HostKeyUnknownError)) return err;
  return new SwitchboardError('hosts.host_key_unknown', { message: err.message, detail: `fingerprint=${err.fingerprint} keyType=${err.keyType} endpoint=${err.endpoint}`, cause: err });
}

/**
 * The selected profile's session, and the live subscriptions that must follow it: selecting a
 * profile opens the new session, moves every cluster.onDidChange listener to it (each gets a
 * fresh snapshot) and the leader watch, then closes the old one. Selections run one at a time.
 */
class SessionHolder {
  readonly leaders = new Fanout<LeaderChange>();
  readonly #changes = new Map<(update: ObserverUpdate) => void, Unsubscribe>();
  #session: ProfileSession;
  #stopLeaderWatch: Unsubscribe;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(initial: ProfileSession, private readonly deps: Pick<ConsoleServicesDeps, 'openSession' | 'log'>) {
    this.#session = initial;
    this.#stopLeaderWatch = this.#watchLeader(initial);
  }

  get current(): ProfileSession {
    return this.#session;
  }

  /** Subscribes a listener to the current observer's updates, and to each later one's. */
  onDidChange(listener: (update: ObserverUpdate) => void): Unsubscribe {
    this.#changes.set(listener, this.#session.observer.subscribe(listener));
    return () => {
      this.#changes.get(listener)?.();
      this.#changes.delete(listener);
    };
  }

  /** Switches to `profile` (after any selection in progress). */
  select(profile: ClusterProfile): Promise<void> {
    const next = this.#queue.then(() => this.#switch(profile));
    this.#queue = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    this.#stopLeaderWatch();
    for (const unsubscribe of this.#changes.values()) unsubscribe();
    this.#changes.clear();
    this.leaders.clear();
    await this.#session.close();
  }

  async #switch(profile: ClusterProfile): Promise<void> {
    if (this.#closed) throw new SwitchboardError('internal.error', { detail: 'the console is closing' });
    const next = await this.deps.openSession(profile);
    const previous = this.#session;
    this.#session = next;
    this.#stopLeaderWatch();
    this.#stopLeaderWatch = this.#watchLeader(next);
    for (const [listener, unsubscribe] of this.#changes) {
      unsubscribe();
      this.#changes.set(listener, next.observer.subscribe(listener));
    }
    this.deps.log.info({ from: previous.profile.name, to: profile.name }, 'profile selected');
    await previous.close();
  }

  #watchLeader(session: ProfileSession): Unsubscribe {
    return session.observer.subscribe(leaderChangeDetector((change) => this.leaders.emit(change)));
  }
}

/** Runs a node action, announcing it on `actions` as started, then succeeded or failed. */
async function announced(actions: Fanout<HostActionEvent>, hosts: HostService, host: string, nodeId: string, action: NodeAction) {
  const base = { actionId: randomUUID(), host, nodeId, action };
  actions.emit({ ...base, at: Date.now(), phase: 'started' });
  try {
    const node = await hosts.action(host, nodeId, action);
    actions.emit({ ...base, at: Date.now(), phase: 'succeeded', node });
    return node;
  } catch (err) {
    const wrapped = withFingerprint(err);
    actions.emit({ ...base, at: Date.now(), phase: 'failed', error: errorBody(wrapped) });
    throw wrapped;
  }
}

function hostServices(holder: SessionHolder, actions: Fanout<HostActionEvent>): ConsoleServices['hosts'] {
  return {
    listNodes: () => holder.current.hosts.listNodes(),
    action: (host, nodeId, action) => announced(actions, holder.current.hosts, host, nodeId, action),
    logs: async (host, nodeId, lines) => ({ host, nodeId, lines: await holder.current.hosts.logs(host, nodeId, lines).catch((err: unknown) => Promise.reject(withFingerprint(err))) }),
    acceptHostKey: async (host, fingerprint) => {
      const key = await holder.current.hosts.acceptHostKey(host, fingerprint);
      return { host, fingerprint: key.fingerprint, keyType: key.type };
    },
    onDidAct: (listener) => actions.add(listener),
  };
}

function profileServices(holder: SessionHolder, catalog: ProfileCatalog): ConsoleServices['profiles'] {
  return {
    list: async () => ({ profiles: await catalog.list(), selected: holder.current.profile.name }),
    get: (name) => catalog.get(name),
    save: (profile) => catalog.save(profile),
    async select(name) {
      // Selecting the current profile again reopens it: a fresh read of its file, fresh connections.
      const { profile, ...summary } = await catalog.get(name);
      await holder.select(profile);
      return summary;
    },
  };
}

/**
 * Builds the console services over the initial session.
 * @example const set = createConsoleServices({ catalog, audit, openSession, initial, drills, log }); new Router({ services: set.services, log });
 */
export function createConsoleServices(deps: ConsoleServicesDeps): ConsoleServiceSet {
  const holder = new SessionHolder(deps.initial, deps);
  const actions = new Fanout<HostActionEvent>();
  const drills = createDrillServices({ drills: deps.drills, profile: () => holder.current.profile, log: deps.log });
  const services: ConsoleServices = {
    cluster: {
      snapshot: () => holder.current.observer.snapshot(),
      presenceUsers: (query) => holder.current.observer.presenceUsers(query),
      recentEvents: (query) => holder.current.observer.recentEvents(query),
      probe: (input) => holder.current.probe(input),
      onDidChange: (listener: (update: EventPayload<'cluster.onDidChange'>) => void) => holder.onDidChange(listener),
      onDidChangeLeader: (listener) => holder.leaders.add(listener),
    },
    postgres: {
      health: () => holder.current.inspector.health(),
      consistencyCheck: () => holder.current.consistencyCheck(),
    },
    hosts: hostServices(holder, actions),
    audit: { read: (query) => deps.audit.read(query) },
    profiles: profileServices(holder, deps.catalog),
    drills: drills.services,
  };
  return {
    services,
    current: () => holder.current,
    async close() {
      drills.close();
      actions.clear();
      await holder.close();
    },
  };
}
