import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeRedisTarget } from '@switchboard/shared';
import { ConfigError, loadConfig, redactConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('loadConfig', () => {
  it('reads a JSON config file, lets the environment win, and freezes the result', () => {
    const path = file('node.json', JSON.stringify({ databaseUrl: 'postgres://file/db', listen: '127.0.0.1:9000', rateLimitPerIp: 7, allowedOrigins: ['https://a.example'] }));
    const config = loadConfig({ SB_CONFIG_FILE: path, SB_LISTEN: '127.0.0.1:9001', SB_ALLOWED_ORIGINS: 'https://b.example, https://c.example' });
    expect(config.databaseUrl).toBe('postgres://file/db');
    expect(config.listen).toBe('127.0.0.1:9001');
    expect(config.rateLimitPerIp).toBe(7);
    expect(config.allowedOrigins).toEqual(['https://b.example', 'https://c.example']);
    expect(config.nodeId).toMatch(/-9001$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the file and the problem when the file is unreadable, not JSON, or has an unknown field', () => {
    expect(() => loadConfig({ SB_CONFIG_FILE: join(dir, 'missing.json') })).toThrow(/SB_CONFIG_FILE .*missing.json cannot be read/);
    expect(() => loadConfig({ SB_CONFIG_FILE: file('bad.json', '{not json') })).toThrow(/is not a JSON object/);
    expect(() => loadConfig({ SB_CONFIG_FILE: file('list.json', '[1]') })).toThrow(ConfigError);
    expect(() => loadConfig({ SB_CONFIG_FILE: file('extra.json', JSON.stringify({ databaseUrl: 'postgres://x/y', colour: 'blue' })) })).toThrow(/invalid configuration/);
  });

  it('redacts secrets and credentials for the start-up log', () => {
    const config = loadConfig({ SB_DATABASE_URL: 'postgres://sb:hunter2@db/x', SB_REDIS_URL: 'redis://:pw@r:6379', SB_CLUSTER_SECRET: 'a-very-long-cluster-secret' });
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain(':pw@');
    expect(shown).not.toContain('a-very-long-cluster-secret');
  });

  it('takes a Sentinel set instead of a Redis URL, with the master name and an optional password', () => {
    const env = { SB_DATABASE_URL: 'postgres://x/y', SB_CLUSTER_SECRET: 'a-very-long-cluster-secret' };
    const config = loadConfig({ ...env, SB_REDIS_SENTINELS: '127.0.0.1:26379, [::1]:26380,sentinel-3.internal:26381', SB_REDIS_SENTINEL_MASTER: 'sb-primary', SB_REDIS_PASSWORD: 'hunter2' });
    expect(nodeRedisTarget(config)).toEqual({
      sentinels: [{ host: '127.0.0.1', port: 26379 }, { host: '::1', port: 26380 }, { host: 'sentinel-3.internal', port: 26381 }],
      masterName: 'sb-primary',
      password: 'hunter2',
    });
    expect(JSON.stringify(redactConfig(config))).not.toContain('hunter2');
    expect(nodeRedisTarget(loadConfig({ ...env, SB_REDIS_URL: 'redis://r:6379' }))).toEqual({ url: 'redis://r:6379' });
    expect(nodeRedisTarget(loadConfig({ SB_DATABASE_URL: 'postgres://x/y' }))).toBeUndefined();
  });

  it('refuses a URL and a Sentinel set together, a set without its master or secret, and bad addresses, in one line each', () => {
    const env = { SB_DATABASE_URL: 'postgres://x/y', SB_CLUSTER_SECRET: 'a-very-long-cluster-secret' };
    const sentinels = { SB_REDIS_SENTINELS: '127.0.0.1:26379', SB_REDIS_SENTINEL_MASTER: 'sb' };
    const line = (extra: Record<string, string>) => {
      try {
        loadConfig({ ...env, ...extra });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).not.toContain('\n');
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(line({ ...sentinels, SB_REDIS_URL: 'redis://r:6379' })).toBe(
      'invalid configuration: SB_REDIS_SENTINELS (redisSentinels) must not be set together with redisUrl (SB_REDIS_URL): give one URL or one Sentinel set',
    );
    expect(line({ SB_REDIS_SENTINELS: '127.0.0.1:26379' })).toBe('invalid configuration: SB_REDIS_SENTINEL_MASTER (redisSentinelMaster) is required when redisSentinels (SB_REDIS_SENTINELS) is set');
    expect(line({ SB_REDIS_SENTINEL_MASTER: 'sb' })).toMatch(/SB_REDIS_SENTINEL_MASTER \(redisSentinelMaster\) needs redisSentinels/);
    expect(line({ SB_REDIS_SENTINELS: '127.0.0.1', SB_REDIS_SENTINEL_MASTER: 'sb' })).toMatch(/SB_REDIS_SENTINELS \(redisSentinels\) must list host:port addresses/);
    expect(line({ SB_REDIS_SENTINELS: '127.0.0.1:70000', SB_REDIS_SENTINEL_MASTER: 'sb' })).toMatch(/SB_REDIS_SENTINELS \(redisSentinels\) must list ports 1-65535/);
    expect(line({ SB_REDIS_URL: 'redis://r:6379', SB_REDIS_PASSWORD: 'pw' })).toMatch(/SB_REDIS_PASSWORD \(redisPassword\) is only for redisSentinels/);
    expect(() => loadConfig({ SB_DATABASE_URL: 'postgres://x/y', ...sentinels })).toThrow(
      'invalid configuration: SB_CLUSTER_SECRET (clusterSecret) is required when redisSentinels (SB_REDIS_SENTINELS) is set',
    );
  });
});
