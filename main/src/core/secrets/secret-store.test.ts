import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EnvSecretStore, SECRET_REDACT_PATHS, secretEnvName, withoutSecrets } from './secret-store.js';

describe('EnvSecretStore', () => {
  it('maps a secret name to SB_SECRET_<NAME> with other characters as _', () => {
    expect(secretEnvName('web1-key')).toBe('SB_SECRET_WEB1_KEY');
    expect(secretEnvName('redis.pass_2')).toBe('SB_SECRET_REDIS_PASS_2');
  });

  it('reads the variable, and treats unset or empty as no secret', async () => {
    const store = new EnvSecretStore({ SB_SECRET_WEB1_KEY: 'hunter2', SB_SECRET_EMPTY: '' });
    expect(await store.get('web1-key')).toBe('hunter2');
    expect(await store.get('empty')).toBeUndefined();
    expect(await store.get('other')).toBeUndefined();
    expect(store.describeSecretSource()).toContain('SB_SECRET_');
    expect(store.describeSecretSource()).not.toContain('hunter2');
  });

  it('keeps SB_SECRET_* out of a child environment', () => {
    expect(withoutSecrets({ PATH: '/bin', SB_SECRET_X: 'v', SB_OTHER: 'o', GONE: undefined })).toEqual({ PATH: '/bin', SB_OTHER: 'o' });
  });
});

describe('SECRET_REDACT_PATHS', () => {
  it('makes pino print [Redacted] instead of a passphrase, at top level and one level down', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    const log = pino({ redact: { paths: [...SECRET_REDACT_PATHS], censor: '[Redacted]' } }, sink);
    log.info({ passphrase: 'hunter2', connect: { host: 'h', privateKey: 'KEYDATA', password: 'pw' } }, 'connecting');
    expect(out).toContain('[Redacted]');
    expect(out).toContain('"host":"h"');
    for (const secret of ['hunter2', 'KEYDATA', '"pw"']) expect(out).not.toContain(secret);
  });
});
