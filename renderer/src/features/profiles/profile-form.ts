import type { ClusterProfile } from '@switchboard/shared';

/**
 * The profile editor's model: a form of plain strings and switches, turned into a profile and
 * checked with the same schema main uses (clusterProfileSchema), each message mapped back onto
 * the field it is about.
 */

/** One host as the form edits it. */
export interface HostForm {
  name: string;
  local: boolean;
  address: string;
  port: string;
  user: string;
  keyFile: string;
  agent: boolean;
  passphraseSecret: string;
  hostKeyFingerprint: string;
  knownHostsFile: string;
  nodectlCommand: string;
  nodectlConfig: string;
  /** Node ids, separated by commas or spaces. */
  nodes: string;
}

/** A profile as the form edits it. */
export interface ProfileForm {
  name: string;
  cluster: string;
  redisMode: 'url' | 'sentinel';
  redisUrl: string;
  /** `host:port` pairs separated by commas or spaces. */
  sentinels: string;
  masterName: string;
  redisPasswordSecret: string;
  postgresUrl: string;
  postgresPasswordSecret: string;
  apiUrl: string;
  hosts: HostForm[];
}

/** An empty host. */
export const EMPTY_HOST: HostForm = { name: '', local: false, address: '', port: '', user: '', keyFile: '', agent: false, passphraseSecret: '', hostKeyFingerprint: '', knownHostsFile: '', nodectlCommand: 'nodectl', nodectlConfig: '', nodes: '' };

/** A new profile's starting point. */
export const EMPTY_PROFILE: ProfileForm = { name: '', cluster: 'switchboard', redisMode: 'url', redisUrl: 'redis://127.0.0.1:6379', sentinels: '', masterName: '', redisPasswordSecret: '', postgresUrl: 'postgres://postgres@127.0.0.1:5432/switchboard', postgresPasswordSecret: '', apiUrl: '', hosts: [] };

/** Non-empty fields only (an empty text box means "not set"). */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== '' && value !== undefined && value !== false)) as Partial<T>;
}

function words(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function hostInput(host: HostForm): Record<string, unknown> {
  const optional = { address: host.address, user: host.user, keyFile: host.keyFile, passphraseSecret: host.passphraseSecret, hostKeyFingerprint: host.hostKeyFingerprint, knownHostsFile: host.knownHostsFile };
  return {
    name: host.name.trim(),
    local: host.local,
    ...present(Object.fromEntries(Object.entries(optional).map(([key, value]) => [key, value.trim()]))),
    ...(host.agent ? { agent: true } : {}),
    ...(host.port.trim() === '' ? {} : { port: Number(host.port.trim()) }),
    nodectl: { command: host.nodectlCommand.trim() || 'nodectl', ...present({ config: host.nodectlConfig.trim() }) },
    nodes: words(host.nodes),
  };
}

/** The form as the object the schema checks (what would be saved). */
export function formToInput(form: ProfileForm): Record<string, unknown> {
  const secret = present({ passwordSecret: form.redisPasswordSecret.trim() });
  const redis =
    form.redisMode === 'url'
      ? { url: form.redisUrl.trim(), ...secret }
      : { sentinels: words(form.sentinels).map((pair) => ({ host: pair.replace(/:[^:]*$/, ''), port: Number(pair.split(':').at(-1)) })), masterName: form.masterName.trim(), ...secret };
  return {
    name: form.name.trim(),
    cluster: form.cluster.trim(),
    redis,
    postgres: { url: form.postgresUrl.trim(), ...present({ passwordSecret: form.postgresPasswordSecret.trim() }) },
    ...present({ apiUrl: form.apiUrl.trim() }),
    hosts: form.hosts.map(hostInput),
  };
}

/** A saved profile, back into the form. */
export function profileToForm(profile: ClusterProfile): ProfileForm {
  const redis = profile.redis;
  return {
    name: profile.name,
    cluster: profile.cluster,
    redisMode: 'url' in redis ? 'url' : 'sentinel',
    redisUrl: 'url' in redis ? redis.url : '',
    sentinels: 'sentinels' in redis ? redis.sentinels.map((s) => `${s.host}:${s.port}`).join(', ') : '',
    masterName: 'masterName' in redis ? redis.masterName : '',
    redisPasswordSecret: redis.passwordSecret ?? '',
    postgresUrl: profile.postgres.url,
    postgresPasswordSecret: profile.postgres.passwordSecret ?? '',
    apiUrl: profile.apiUrl ?? '',
    hosts: profile.hosts.map((host) => ({
      name: host.name,
      local: host.local,
      address: host.address ?? '',
      port: host.port === undefined ? '' : String(host.port),
      user: host.user ?? '',
      keyFile: host.keyFile ?? '',
      agent: host.agent ?? false,
      passphraseSecret: host.passphraseSecret ?? '',
      hostKeyFingerprint: host.hostKeyFingerprint ?? '',
      knownHostsFile: host.knownHostsFile ?? '',
      nodectlCommand: host.nodectl.command,
      nodectlConfig: host.nodectl.config ?? '',
      nodes: host.nodes.join(', '),
    })),
  };
}
