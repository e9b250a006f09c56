import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
