import { nodeConfigSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { configHash } from './registry.js';

const base = { databaseUrl: 'postgres://app:pw@db:5432/chat', redisUrl: 'redis://cache:6379', clusterSecret: 'a-secret-of-16-chars!' };

describe('configHash', () => {
  it('agrees between nodes that differ only in per-node fields', () => {
    const a = configHash(nodeConfigSchema.parse({ ...base, nodeId: 'n1', listen: '10.0.0.1:8065' }));
    const b = configHash(nodeConfigSchema.parse({ ...base, nodeId: 'n2', listen: '10.0.0.2:9000' }));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });

  it('differs when a shared setting differs', () => {
    const a = configHash(nodeConfigSchema.parse(base));
    expect(configHash(nodeConfigSchema.parse({ ...base, drainMs: 5_000 }))).not.toBe(a);
    expect(configHash(nodeConfigSchema.parse({ ...base, databaseUrl: 'postgres://app:pw@other:5432/chat' }))).not.toBe(a);
  });

  it('does not depend on the secrets it redacts', () => {
    const a = configHash(nodeConfigSchema.parse(base));
    expect(configHash(nodeConfigSchema.parse({ ...base, databaseUrl: 'postgres://app:other@db:5432/chat', clusterSecret: 'another-secret-16-chars' }))).toBe(a);
  });
});
