import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvSecretStore } from '../core/secrets/index.js';
import { BASIC_TEXT_WARNING, SafeStorageSecretStore, SecretChain, type SafeStorageLike } from './safe-storage-secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A reversible fake "encryption" (reversed bytes), with a chosen backend. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(text, 'utf8').reverse(),
    decryptString: (data) => Buffer.from(data).reverse().toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

function capture() {
  const lines: Array<{ msg: string }> = [];
  return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

describe('SafeStorageSecretStore', () => {
  it('stores encrypted values in a 0600 file and reads them back', async () => {
    const file = join(dir, 'a', 'secrets.json');
    const store = new SafeStorageSecretStore({ safeStorage: fakeSafeStorage(), file, log: capture().log, platform: 'linux' });
    await store.set('web1-key', 'hunter2');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('web1-key')).toBe('hunter2');
    expect(await store.get('other')).toBeUndefined();
    await store.delete('web1-key');
    expect(await store.get('web1-key')).toBeUndefined();
  });

  it('warns loudly when Linux falls back to basic_text', () => {
    const { lines, log } = capture();
    const store = new SafeStorageSecretStore({ safeStorage: fakeSafeStorage('basic_text'), file: join(dir, 'b.json'), log, platform: 'linux' });
    expect(lines.map((line) => line.msg)).toEqual([BASIC_TEXT_WARNING]);
    expect(store.describeSecretSource()).toContain('WARNING: NO KEYRING');
    const quiet = capture();
    new SafeStorageSecretStore({ safeStorage: fakeSafeStorage('basic_text'), file: join(dir, 'c.json'), log: quiet.log, platform: 'darwin' });
    expect(quiet.lines).toEqual([]);
  });

  it('refuses to store without encryption, and reads nothing', async () => {
    const store = new SafeStorageSecretStore({ safeStorage: fakeSafeStorage('unknown', false), file: join(dir, 'd.json'), log: capture().log, platform: 'linux' });
    await expect(store.set('x', 'y')).rejects.toThrow(/not available/);
    expect(await store.get('x')).toBeUndefined();
  });
});

describe('SecretChain', () => {
  it('asks each store in turn', async () => {
    const safe = new SafeStorageSecretStore({ safeStorage: fakeSafeStorage(), file: join(dir, 'e.json'), log: capture().log, platform: 'linux' });
    await safe.set('a', 'from-keychain');
    const chain = new SecretChain([safe, new EnvSecretStore({ SB_SECRET_A: 'from-env', SB_SECRET_B: 'env-only' })]);
    expect([await chain.get('a'), await chain.get('b'), await chain.get('c')]).toEqual(['from-keychain', 'env-only', undefined]);
    expect(chain.describeSecretSource()).toMatch(/safeStorage.*then environment variables/);
  });
});
