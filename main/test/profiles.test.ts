import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { clusterProfileSchema } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSshTarget } from '../src/core/hosts/ssh-target.js';
import { splitWords } from '../src/core/hosts/shell-words.js';
import { LOCAL_DEFAULTS, REPO_ROOT } from '../src/core/profiles/local-profile.js';
import { listProfiles, loadProfile, saveProfile } from '../src/core/profiles/load-profile.js';
import { ProfileError } from '../src/core/profiles/profile-error.js';
import { parseSshConfig } from '../src/core/profiles/ssh-config.js';

let dir: string;

const VALID_YAML = `# production
name: ops
cluster: prod
redis:
  sentinels:
    - { host: 10.0.0.1, port: 26379 }
    - { host: 10.0.0.2, port: 26379 }
  masterName: sb-master
  passwordSecret: redis-pass
postgres:
  url: postgres://switchboard@db.internal:5432/switchboard
apiUrl: https://chat.example.com
hosts:
  - name: web1
    address: web1.internal
    user: deploy
    keyFile: ~/.ssh/sb_deploy
    passphraseSecret: sb-deploy-key
    hostKeyFingerprint: SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8
    nodectl: { command: /opt/switchboard/bin/nodectl, config: /etc/switchboard/nodectl.json }
    nodes: [n1, n2]
  - name: web2
    address: sb-web2
    agent: true
    knownHostsFile: ~/.ssh/known_hosts
    nodes: [n3]
`;

/** Writes `text` to a file in the temp dir and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ProfileError message for loading `text` as `name`. */
async function errorFor(name: string, text: string): Promise<string> {
  const err = await loadProfile(file(name, text)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProfileError);
  expect(err).toMatchObject({ id: 'profile.invalid' });
  return (err as ProfileError).message.replace(`${dir}/`, '');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'profiles-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading profiles', () => {
  it('loads a YAML profile with defaults applied', async () => {
    const profile = await loadProfile(file('prod.yaml', VALID_YAML));
    expect(profile).toMatchObject({ name: 'ops', cluster: 'prod', redis: { masterName: 'sb-master', passwordSecret: 'redis-pass' } });
    expect(profile.hosts[0]).toMatchObject({ name: 'web1', local: false, nodes: ['n1', 'n2'], nodectl: { command: '/opt/switchboard/bin/nodectl' } });
    expect(profile.hosts[1]).toMatchObject({ name: 'web2', agent: true, nodectl: { command: 'nodectl' } });
  });

  it('loads the same profile from JSON, and a path relative to the current directory', async () => {
    const yaml = await loadProfile(join(dir, 'prod.yaml'));
    const json = file('prod.json', JSON.stringify(yaml, null, 2));
    expect(await loadProfile(json)).toEqual(yaml);
    expect(await loadProfile(relative(process.cwd(), json))).toEqual(yaml);
  });

  it('names the file, the field path and the problem', async () => {
    const base = 'name: ops\ncluster: prod\nredis: { url: redis://r:6379 }\npostgres: { url: postgres://p/db }\n';
    expect(await errorFor('ops.yaml', `${base}hosts:\n  - { name: web1, address: a }\n  - { name: web2 }\n`)).toBe('profile ops.yaml: hosts[1].address is required unless local is true');
    expect(await errorFor('a.yaml', `${base}hosts:\n  - { name: web1, adress: a }\n`)).toBe(
      'profile a.yaml: hosts[0] has unknown field "adress"; hosts[0].address is required unless local is true',
    );
    expect(await errorFor('b.yaml', `${base}hosts:\n  - { name: web1, address: a, port: 70000 }\n`)).toBe('profile b.yaml: hosts[0].port must be at most 65535');
    expect(await errorFor('c.yaml', `${base}hosts:\n  - { name: Web 1, address: a }\n`)).toBe('profile c.yaml: hosts[0].name must be 1-63 lowercase letters, digits, "-" or "_"');
    expect(await errorFor('d.yaml', `${base}hosts: { name: web1 }\n`)).toBe('profile d.yaml: hosts must be a list, got a mapping');
    expect(await errorFor('e.yaml', `${base}hosts:\n  - { name: w, local: true }\n  - { name: w, local: true }\n`)).toBe('profile e.yaml: hosts[1].name duplicates host w');
    expect(await errorFor('f.yaml', 'name: ops\nredis: { url: 6379 }\npostgres: { url: mysql://x }\n')).toBe(
      'profile f.yaml: cluster is required; redis.url must be a string, got a number; postgres.url must be a postgres:// URL',
    );
    expect(await errorFor('g.yaml', `${base}hosts:\n  - { name: w, address: a, passphraseSecret: "hunter2 is my password" }\n`)).toMatch(
      /^profile g\.yaml: hosts\[0\]\.passphraseSecret must name a secret/,
    );
    expect(await errorFor('h.yaml', `${base}extra: 1\n`)).toBe('profile h.yaml: (top level) has unknown field "extra"');
  });

  it('reports the Sentinel branch when the author wrote a Sentinel set', async () => {
    const text = 'name: ops\ncluster: prod\nredis: { sentinels: [{ host: s1, port: 26379 }] }\npostgres: { url: postgres://p/db }\n';
    expect(await errorFor('s.yaml', text)).toBe('profile s.yaml: redis.masterName is required');
  });

  it('names the line of a YAML or JSON syntax error', async () => {
    expect(await errorFor('bad.yaml', 'name: ops\ncluster: prod\nhosts:\n  - name: a\n   address: x\n')).toMatch(/^profile bad\.yaml: YAML syntax error at line 5, column \d+: /);
    expect(await errorFor('dup.yaml', 'name: ops\nname: again\n')).toMatch(/^profile dup\.yaml: YAML syntax error at line 2, column 1: Map keys must be unique/);
    expect(await errorFor('bad.json', '{\n  "name": "ops",\n  "cluster": "prod",\n}\n')).toMatch(/^profile bad\.json: JSON syntax error at line 4, column 1: /);
  });

  it('refuses empty files, missing files and other extensions', async () => {
    expect(await errorFor('empty.yaml', '# nothing\n')).toBe('profile empty.yaml: the file is empty');
    await expect(loadProfile(join(dir, 'missing.yaml'))).rejects.toThrow(`profile ${join(dir, 'missing.yaml')}: cannot be read (ENOENT)`);
    await expect(loadProfile('ops.toml')).rejects.toThrow('profile ops.toml: must be a .yaml, .yml, .json file, or the name local');
  });
});

describe('the built-in local profile', () => {
  /** No running demo: a state file that does not exist. */
  const NO_DEMO = { SB_DEMO_PROFILE: '/nonexistent/profile.json' };

  function demoState(overrides: Record<string, unknown> = {}): string {
    const file = join(mkdtempSync(join(dir, 'demo-')), 'profile.json');
    const state = {
      version: 1,
      pid: process.pid,
      startedAt: Date.now(),
      cluster: 'demo',
      redisUrl: 'redis://127.0.0.1:41234',
      databaseUrl: 'postgres://postgres@127.0.0.1:54329/switchboard_demo',
      apiUrl: 'http://127.0.0.1:8080',
      nodectlConfig: '/repo/.run/demo/nodectl.json',
      nodes: ['n1', 'n2', 'n3'],
      ...overrides,
    };
    writeFileSync(file, JSON.stringify(state));
    return file;
  }

  it('describes the demo cluster on this machine, controlled locally', async () => {
    const profile = await loadProfile('local', NO_DEMO);
    expect(profile).toMatchObject({
      name: 'local',
      cluster: 'switchboard',
      redis: { url: LOCAL_DEFAULTS.redisUrl },
      postgres: { url: 'postgres://postgres@127.0.0.1:5432/switchboard_demo' },
      apiUrl: 'http://127.0.0.1:8065',
    });
    expect(profile.hosts).toHaveLength(1);
    const [host] = profile.hosts;
    expect(host).toMatchObject({ name: 'localhost', local: true, nodes: [], nodectl: { config: join(REPO_ROOT, '.run', 'demo', 'nodectl.json') } });
    const argv = splitWords(host!.nodectl.command);
    expect(argv).toEqual([process.execPath, join(REPO_ROOT, 'cluster-node', 'bin', 'nodectl.js')]);
    expect(existsSync(argv[1]!)).toBe(true);
    expect(LOCAL_DEFAULTS.demoProfile).toBe(join(REPO_ROOT, '.run', 'demo', 'profile.json'));
  });

  it('takes SB_CLUSTER, SB_REDIS_URL, SB_DATABASE_URL, SB_API_URL and SB_NODECTL_CONFIG from the environment', async () => {
    const env = { ...NO_DEMO, SB_CLUSTER: 'other', SB_REDIS_URL: 'redis://10.0.0.9:6380', SB_DATABASE_URL: 'postgres://x@h/db', SB_API_URL: 'http://lb:80', SB_NODECTL_CONFIG: '/etc/n.json' };
    const profile = await loadProfile('local', env);
    expect(profile).toMatchObject({ cluster: 'other', redis: { url: env.SB_REDIS_URL }, postgres: { url: env.SB_DATABASE_URL }, apiUrl: env.SB_API_URL });
    expect(profile.hosts[0]!.nodectl.config).toBe('/etc/n.json');
    await expect(loadProfile('local', { ...NO_DEMO, SB_REDIS_URL: 'localhost:6379' })).rejects.toThrow('profile local: redis.url must be a redis:// or rediss:// URL');
  });

  it('describes what a running demo started, from its profile.json', async () => {
    const file = demoState();
    const profile = await loadProfile('local', { SB_DEMO_PROFILE: file });
    expect(profile).toMatchObject({
      cluster: 'demo',
      redis: { url: 'redis://127.0.0.1:41234' },
      postgres: { url: 'postgres://postgres@127.0.0.1:54329/switchboard_demo' },
      apiUrl: 'http://127.0.0.1:8080',
    });
    expect(profile.hosts[0]).toMatchObject({ local: true, nodes: ['n1', 'n2', 'n3'], nodectl: { config: '/repo/.run/demo/nodectl.json' } });
    // An explicit variable still wins over the demo's file.
    expect((await loadProfile('local', { SB_DEMO_PROFILE: file, SB_API_URL: 'http://127.0.0.1:8066' })).apiUrl).toBe('http://127.0.0.1:8066');
  });

  it('ignores the file of a demo that no longer runs', async () => {
    const gone = spawnSync('true').pid!;
    const profile = await loadProfile('local', { SB_DEMO_PROFILE: demoState({ pid: gone }) });
    expect(profile).toMatchObject({ cluster: 'switchboard', redis: { url: LOCAL_DEFAULTS.redisUrl }, apiUrl: LOCAL_DEFAULTS.apiUrl });
  });

  it('names the file and the field when the demo\'s file is malformed', async () => {
    const bad = demoState({ redisUrl: 42 });
    await expect(loadProfile('local', { SB_DEMO_PROFILE: bad })).rejects.toThrow(`profile local: ${bad}: redisUrl must be a string, got a number`);
    const extra = demoState({ surprise: true });
    await expect(loadProfile('local', { SB_DEMO_PROFILE: extra })).rejects.toThrow(`${extra}: (top level) has unknown field "surprise"`);
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{');
    await expect(loadProfile('local', { SB_DEMO_PROFILE: notJson })).rejects.toThrow(`profile local: the demo's ${notJson} is not JSON`);
    // A demo that wrote a bad URL: the profile's own check names the field.
    await expect(loadProfile('local', { SB_DEMO_PROFILE: demoState({ redisUrl: 'localhost:6379' }) })).rejects.toThrow('profile local: redis.url must be a redis:// or rediss:// URL');
  });
});

describe('saving and listing profiles', () => {
  it('saves valid profiles as YAML or JSON that load back the same', async () => {
    const profile = await loadProfile(join(dir, 'prod.yaml'));
    const saved = await saveProfile(join(dir, 'saved.yml'), profile);
    expect(saved).toEqual(profile);
    expect(readFileSync(join(dir, 'saved.yml'), 'utf8')).toContain('masterName: sb-master');
    expect(await loadProfile(join(dir, 'saved.yml'))).toEqual(profile);
    await saveProfile(join(dir, 'saved.json'), { ...profile, name: 'copy' });
    expect((await loadProfile(join(dir, 'saved.json'))).name).toBe('copy');
  });

  it('writes nothing when the profile is invalid', async () => {
    const path = join(dir, 'never.yaml');
    await expect(saveProfile(path, { name: 'x', cluster: 'y', redis: { url: 'redis://r' }, postgres: { url: 'postgres://p' }, hosts: [{ name: 'h' }] })).rejects.toThrow(
      `profile ${path}: hosts[0].address is required unless local is true`,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('lists the profile files of a folder with a summary or the error', async () => {
    const folder = mkdtempSync(join(dir, 'list-'));
    writeFileSync(join(folder, 'b.yaml'), VALID_YAML);
    writeFileSync(join(folder, 'a.json'), '{"name": "x"}');
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    expect(await listProfiles(folder)).toEqual([
      { path: join(folder, 'a.json'), error: expect.stringMatching(/a\.json: cluster is required/) },
      { path: join(folder, 'b.yaml'), name: 'ops', cluster: 'prod', hosts: 2 },
    ]);
    expect(await listProfiles(join(dir, 'absent'))).toEqual([]);
  });
});

describe('ssh config aliases', () => {
  const sshConfig = parseSshConfig(`Host sb-web2\n  HostName 127.0.1.2\n  Port 2202\n  User deploy\n  IdentityFile ~/.ssh/sb_web2\nHost *\n  User fallback\n`, '/home/op/.ssh/config');
  const options = { sshConfig, home: '/home/op', localUser: 'op', acceptedKeysFile: '/data/known_hosts' };
  const host = (fields: Record<string, unknown>) => clusterProfileSchema.parse({ name: 'p', cluster: 'c', redis: { url: 'redis://r' }, postgres: { url: 'postgres://p' }, hosts: [{ name: 'web2', ...fields }] }).hosts[0]!;

  it('take HostName, Port, User and IdentityFile from ssh config for an alias', () => {
    expect(resolveSshTarget(host({ address: 'sb-web2' }), options)).toMatchObject({
      address: '127.0.1.2',
      port: 2202,
      user: 'deploy',
      keyFile: '/home/op/.ssh/sb_web2',
      knownHostsName: '[127.0.1.2]:2202',
      knownHostsFiles: ['/data/known_hosts'],
    });
  });

  it('let the profile\'s own fields win, and fall back to the local user and port 22', () => {
    expect(resolveSshTarget(host({ address: 'sb-web2', port: 22, user: 'root', keyFile: '~/k', knownHostsFile: '~/.ssh/known_hosts' }), options)).toMatchObject({
      address: '127.0.1.2',
      port: 22,
      user: 'root',
      keyFile: '/home/op/k',
      knownHostsName: '127.0.1.2',
      knownHostsFiles: ['/home/op/.ssh/known_hosts', '/data/known_hosts'],
    });
    expect(resolveSshTarget(host({ address: '10.1.1.1', keyFile: '/k' }), { ...options, sshConfig: undefined })).toMatchObject({ address: '10.1.1.1', port: 22, user: 'op' });
  });

  it('use the agent when asked or when there is no key, and refuse a host with neither', () => {
    expect(resolveSshTarget(host({ address: '10.1.1.1', agent: true }), { ...options, agentSocket: '/run/agent' })).toMatchObject({ agentSocket: '/run/agent', keyFile: undefined });
    expect(() => resolveSshTarget(host({ address: '10.1.1.1', agent: true }), options)).toThrow(/SSH_AUTH_SOCK is not set/);
    expect(() => resolveSshTarget(host({ address: '10.1.1.1' }), { ...options, sshConfig: undefined })).toThrow(
      expect.objectContaining({ id: 'hosts.auth_failed', message: expect.stringContaining('no keyFile') }),
    );
  });
});
