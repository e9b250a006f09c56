import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeOf } from './errors.js';
import { configPath, DEFAULT_DRAIN_MS, DEFAULT_NODE_BIN, parseHostConfig } from './host-config.js';

const listen = (port: number) => ({ SB_LISTEN: `127.0.0.1:${port}` });

/** The message of the config error `input` raises. */
function configError(input: unknown): string {
  try {
    parseHostConfig(input, '/etc/sb', 'nodectl.json');
  } catch (err) {
    expect(exitCodeOf(err)).toBe(EXIT.usage);
    return (err as Error).message;
  }
  throw new Error('config parsed');
}

describe('parseHostConfig', () => {
  it('passes a Sentinel set through to every node (shared env, overridable per node)', () => {
    const sentinel = { SB_REDIS_SENTINELS: '10.0.0.11:26379,10.0.0.12:26379,10.0.0.13:26379', SB_REDIS_SENTINEL_MASTER: 'switchboard', SB_REDIS_PASSWORD: 'pw' };
    const config = parseHostConfig({ runDir: 'run', env: sentinel, nodes: { n1: { env: listen(8065) }, n2: { env: { ...listen(8066), SB_REDIS_SENTINEL_MASTER: 'other' } } } }, '/etc/sb', 'x.json');
    expect(config.nodes.get('n1')!.env).toMatchObject(sentinel);
    expect(config.nodes.get('n2')!.env).toMatchObject({ ...sentinel, SB_REDIS_SENTINEL_MASTER: 'other' });
  });

  it('merges shared and node env, sets SB_NODE_ID, resolves paths against the config folder', () => {
    const config = parseHostConfig(
      { runDir: 'run', env: { SB_DATABASE_URL: 'postgres://db/sb', SB_DRAIN_MS: '500' }, nodes: { n1: { env: listen(8065) }, n2: { env: { ...listen(8066), SB_DRAIN_MS: '50' } } } },
      '/etc/sb',
      '/etc/sb/nodectl.json',
    );
    expect(config.runDir).toBe('/etc/sb/run');
    expect(config.bin).toBe(DEFAULT_NODE_BIN);
    expect(config.nodes.get('n1')).toEqual({
      id: 'n1',
      listen: '127.0.0.1:8065',
      drainMs: 500,
      env: { SB_DATABASE_URL: 'postgres://db/sb', SB_DRAIN_MS: '500', SB_LISTEN: '127.0.0.1:8065', SB_NODE_ID: 'n1' },
    });
    expect(config.nodes.get('n2')).toMatchObject({ drainMs: 50 });
    expect(parseHostConfig({ runDir: '/var/run/sb', bin: '/opt/sb/node.js', nodes: { a: { env: listen(1) } } }, '/x', 'f').bin).toBe('/opt/sb/node.js');
    expect(parseHostConfig({ runDir: '/r', nodes: { a: { env: listen(1) } } }, '/x', 'f').nodes.get('a')!.drainMs).toBe(DEFAULT_DRAIN_MS);
  });

  it('names the bad field', () => {
    expect(configError({ nodes: {} })).toBe('invalid host config nodectl.json: runDir is required');
    expect(configError({ runDir: 5, nodes: {} })).toMatch(/runDir: Invalid input: expected string/);
    expect(configError({ runDir: 'r', nodes: { 'n1; rm -rf /': { env: listen(1) } } })).toMatch(/nodes\.n1; rm -rf \/: must be 1-63 lowercase/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: { ...listen(1), PATH: '/x' } } } })).toMatch(/nodes\.n1\.env\.PATH: must be an SB_\* variable name/);
    expect(configError({ runDir: 'r', env: { SB_X: 1 }, nodes: {} })).toMatch(/env\.SB_X: Invalid input: expected string/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: {} } } })).toMatch(/nodes\.n1\.env\.SB_LISTEN: is required/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: { SB_LISTEN: 'nowhere' } } } })).toMatch(/nodes\.n1\.env\.SB_LISTEN: must be host:port/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: listen(0) } } })).toMatch(/SB_LISTEN: port must be 1-65535/);
    expect(configError({ runDir: 'r', env: listen(1), nodes: { n1: {}, n2: {} } })).toMatch(/nodes\.n2\.env\.SB_LISTEN: 127\.0\.0\.1:1 is also node n1's/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: { ...listen(1), SB_NODE_ID: 'x' } } } })).toMatch(/nodes\.n1\.env\.SB_NODE_ID: is set by nodectl/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: { ...listen(1), SB_DRAIN_MS: 'soon' } } } })).toMatch(/SB_DRAIN_MS: must be a whole number/);
    expect(configError({ runDir: 'r', nodes: {}, extra: true })).toMatch(/unknown field "extra"/);
    expect(configError({ runDir: 'r', nodes: { n1: { env: listen(1), port: 1 } } })).toMatch(/nodes\.n1: unknown field "port"/);
    expect(configError([])).toMatch(/expected object/);
  });
});

describe('configPath', () => {
  it('prefers --config, then SB_NODECTL_CONFIG, then ./nodectl.json', () => {
    expect(configPath('/a.json', { SB_NODECTL_CONFIG: '/b.json' })).toBe('/a.json');
    expect(configPath(undefined, { SB_NODECTL_CONFIG: '/b.json' })).toBe('/b.json');
    expect(configPath(undefined, {})).toBe(`${process.cwd()}/nodectl.json`);
  });
});
