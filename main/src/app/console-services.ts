import { randomUUID } from 'node:crypto';
import { isSwitchboardError, SwitchboardError, type ClusterProfile, type EventPayload, type HostActionEvent, type LeaderChange, type NodeAction, type ObserverUpdate } from '@switchboard/shared';
import type { Logger } from 'pino';
import { HostKeyUnknownError, type HostService } from '../core/hosts/index.js';
import type { AuditLog } from '../core/audit/index.js';
import type { ConsoleServices, Unsubscribe } from '../ipc/services.js';
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
 * Builds the console services over the initial session.
 * @example const set = createConsoleServices({ catalog, audit, openSession, initial, log }); new Router({ services: set.services, log });
 */
export function createConsoleServices(deps: ConsoleServicesDeps): ConsoleServiceSet {
  let session = deps.initial;
  let closed = false;
  const changes = new Map<(update: ObserverUpdate) => void, Unsubscribe>();
  const leaders = new Fanout<LeaderChange>();
  const actions = new Fanout<HostActionEvent>();
  let stopLeaderWatch = session.observer.subscribe(leaderChangeDetector((change) => leaders.emit(change)));

  const act = async (hosts: HostService, host: string, nodeId: string, action: NodeAction) => {
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
  };

  const select = async (profile: ClusterProfile) => {
    if (closed) throw new SwitchboardError('internal.error', { detail: 'the console is closing' });
    const next = await deps.openSession(profile);
    const previous = session;
    session = next;
    stopLeaderWatch();
    stopLeaderWatch = next.observer.subscribe(leaderChangeDetector((change) => leaders.emit(change)));
    for (const [listener, unsubscribe] of changes) {
      unsubscribe();
      changes.set(listener, next.observer.subscribe(listener));
    }
    deps.log.info({ from: previous.profile.name, to: profile.name }, 'profile selected');
    await previous.close();
  };

  const services: ConsoleServices = {
    cluster: {
      snapshot: () => session.observer.snapshot(),
      presenceUsers: (query) => session.observer.presenceUsers(query),
      recentEvents: (query) => session.observer.recentEvents(query),
      probe: (input) => session.probe(input),
      onDidChange(listener: (update: EventPayload<'cluster.onDidChange'>) => void) {
        changes.set(listener, session.observer.subscribe(listener));
        return () => {
          changes.get(listener)?.();
          changes.delete(listener);
        };
      },
      onDidChangeLeader: (listener) => leaders.add(listener),
    },
    postgres: {
      health: () => session.inspector.health(),
      consistencyCheck: () => session.consistencyCheck(),
    },
    hosts: {
      listNodes: () => session.hosts.listNodes(),
      action: (host, nodeId, action) => act(session.hosts, host, nodeId, action),
      logs: async (host, nodeId, lines) => ({ host, nodeId, lines: await session.hosts.logs(host, nodeId, lines).catch((err: unknown) => Promise.reject(withFingerprint(err))) }),
      acceptHostKey: async (host, fingerprint) => {
        const key = await session.hosts.acceptHostKey(host, fingerprint);
        return { host, fingerprint: key.fingerprint, keyType: key.type };
      },
      onDidAct: (listener) => actions.add(listener),
    },
    audit: {
      read: (query) => deps.audit.read(query),
    },
    profiles: {
      list: async () => ({ profiles: await deps.catalog.list(), selected: session.profile.name }),
      get: (name) => deps.catalog.get(name),
      save: (profile) => deps.catalog.save(profile),
      async select(name) {
        // Selecting the current profile again reopens it: a fresh read of its file, fresh connections.
        const { profile, ...summary } = await deps.catalog.get(name);
        await select(profile);
        return summary;
      },
    },
  };

  return {
    services,
    current: () => session,
    async close() {
      closed = true;
      stopLeaderWatch();
      for (const unsubscribe of changes.values()) unsubscribe();
      changes.clear();
      leaders.clear();
      actions.clear();
      await session.close();
    },
  };
}
