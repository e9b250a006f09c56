import { SwitchboardError, type ClusterProfile, type ConsistencyReport, type ProbeInput, type ProbeResult } from '@switchboard/shared';
import type { Logger } from 'pino';
import type { AuditLog } from '../core/audit/index.js';
import { createTransportFactory, HostService, type TransportFactory } from '../core/hosts/index.js';
import { PostgresInspector } from '../core/inspector/index.js';
import { ClusterObserver, ensureProbeFixtures, redisTargetFromProfile, type ProbeFixtures } from '../core/observer/index.js';
import type { ProfileEnv } from '../core/profiles/index.js';
import type { SecretStore } from '../core/secrets/index.js';

/**
 * Everything the console opens for one profile: the observer (Redis), the inspector (Postgres)
 * and the host service (SSH or local processes). Selecting another profile closes this one.
 */

/** The secret holding the probe account's password (web mode: SB_SECRET_PROBE_PASSWORD). */
export const PROBE_PASSWORD_SECRET = 'probe-password';

/** What a session needs. */
export interface ProfileSessionDeps {
  secrets: SecretStore;
  /** The console's audit log (one for every profile). */
  audit: AuditLog;
  dataDir: string;
  env: ProfileEnv;
  log: Logger;
  /** @default createTransportFactory({ env }) */
  transports?: TransportFactory;
}

/** One profile's open connections. */
export interface ProfileSession {
  profile: ClusterProfile;
  observer: ClusterObserver;
  inspector: PostgresInspector;
  hosts: HostService;
  /** Runs the end-to-end probe (setting up its account, team and channel on first use). */
  probe(input: ProbeInput): Promise<ProbeResult>;
  /** Checks that every probe post of this session is in Postgres exactly once. */
  consistencyCheck(): Promise<ConsistencyReport>;
  /** Closes in reverse order of opening. */
  close(): Promise<void>;
}

/** The value of a secret the profile names, or a `profile.invalid` error saying where to put it. */
async function namedSecret(secrets: SecretStore, name: string | undefined, field: string): Promise<string | undefined> {
  if (name === undefined) return undefined;
  const value = await secrets.get(name);
  if (value === undefined) {
    throw new SwitchboardError('profile.invalid', { message: `profile: ${field} names the secret "${name}", which is not set (secrets come from ${secrets.describeSecretSource()})` });
  }
  return value;
}

/**
 * The session's probe: sets up the probe account, team and channel through the profile's apiUrl
 * (or an active node) on first use, then posts through the observer's probe runner.
 */
function probeWith(observer: ClusterObserver, profile: ClusterProfile, secrets: SecretStore): (input: ProbeInput) => Promise<ProbeResult> {
  let fixtures: Promise<ProbeFixtures> | undefined;
  const setUp = async (via: string | undefined): Promise<ProbeFixtures> => {
    const password = await secrets.get(PROBE_PASSWORD_SECRET);
    if (password === undefined) {
      throw new SwitchboardError('probe.failed', { detail: `the probe needs the secret "${PROBE_PASSWORD_SECRET}" (secrets come from ${secrets.describeSecretSource()})` });
    }
    const nodes = (await observer.snapshot()).nodes.filter((node) => node.state === 'active');
    const apiUrl = profile.apiUrl ?? nodes.find((node) => node.id === via)?.httpAddress ?? nodes[0]?.httpAddress;
    if (apiUrl === undefined) throw new SwitchboardError('probe.failed', { detail: 'no active node to post through, and the profile has no apiUrl' });
    fixtures ??= ensureProbeFixtures(apiUrl, { password });
    // A failed setup is retried by the next probe rather than remembered.
    return fixtures.catch((err: unknown) => {
      fixtures = undefined;
      throw err;
    });
  };
  return async (input) => {
    const ready = await setUp(input.via);
    return observer.probe({
      token: ready.token,
      channelId: ready.channelId,
      ...(profile.apiUrl === undefined ? {} : { apiUrl: profile.apiUrl }),
      ...(input.via === undefined ? {} : { via: input.via }),
      ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
    });
  };
}

/**
 * Opens a profile: resolves its named secrets, then the inspector, the observer (started: it
 * keeps trying while Redis is down) and the host service.
 * @example const session = await openProfileSession(profile, { secrets, audit, dataDir, env, log });
 */
export async function openProfileSession(profile: ClusterProfile, deps: ProfileSessionDeps): Promise<ProfileSession> {
  const log = deps.log.child({ profile: profile.name });
  const redisPassword = await namedSecret(deps.secrets, profile.redis.passwordSecret, 'redis.passwordSecret');
  const postgresPassword = await namedSecret(deps.secrets, profile.postgres.passwordSecret, 'postgres.passwordSecret');
  const inspector = new PostgresInspector({ url: profile.postgres.url, ...(postgresPassword === undefined ? {} : { password: postgresPassword }), log });
  const observer = new ClusterObserver({ redis: redisTargetFromProfile(profile, redisPassword), cluster: profile.cluster, log, lookupUsers: inspector.lookupUsers });
  await observer.start();
  const transports = deps.transports ?? createTransportFactory({ env: deps.env });
  const hosts = new HostService({ profile, secrets: deps.secrets, audit: deps.audit, dataDir: deps.dataDir, transports, log });
  return {
    profile,
    observer,
    inspector,
    hosts,
    probe: probeWith(observer, profile, deps.secrets),
    consistencyCheck: () => inspector.consistencyCheck(observer.probeMessages()),
    async close() {
      await hosts.close();
      await observer.close();
      await inspector.close();
    },
  };
}
