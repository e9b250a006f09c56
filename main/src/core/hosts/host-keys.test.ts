import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendKnownHost, checkHostKey, describeHostKey, knownHostsName, parseKnownHosts, readKnownHosts, type HostKey } from './host-keys.js';

let dir: string;
let key: HostKey;
let other: HostKey;
let keygenFingerprint: string;

/** Generates a key with ssh-keygen and returns its public half as a HostKey, with ssh-keygen's fingerprint. */
function generate(name: string, type: string): { key: HostKey; printed: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', file]);
  const [, base64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  const printed = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).split(/\s+/)[1]!;
  return { key: describeHostKey(Buffer.from(base64!, 'base64')), printed };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-keys-'));
  const generated = generate('host', 'ed25519');
  key = generated.key;
  keygenFingerprint = generated.printed;
  other = generate('other', 'ecdsa').key;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host key fingerprints', () => {
  it('match ssh-keygen -lf exactly, with the key type from the blob', () => {
    expect(key.fingerprint).toBe(keygenFingerprint);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(key.type).toBe('ssh-ed25519');
    expect(other.type).toBe('ecdsa-sha2-nistp256');
  });

  it('name a non-standard port in brackets', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('127.0.1.1', 2222)).toBe('[127.0.1.1]:2222');
  });
});

describe('checkHostKey', () => {
  const line = (hosts: string, k: HostKey) => `${hosts} ${k.type} ${k.base64} comment`;

  it('accepts the pinned fingerprint (with or without padding) and refuses another one', () => {
    expect(checkHostKey(key, 'h', { pinned: key.fingerprint, knownHosts: [] })).toMatchObject({ ok: true });
    expect(checkHostKey(key, 'h', { pinned: `${key.fingerprint}=`, knownHosts: [] })).toMatchObject({ ok: true });
    expect(checkHostKey(key, 'h', { pinned: other.fingerprint, knownHosts: [] })).toEqual({
      ok: false,
      kind: 'mismatch',
      expected: [other.fingerprint],
      source: "the profile's pinned hostKeyFingerprint",
    });
  });

  it('accepts a plain or bracketed known_hosts entry and says where it was found', () => {
    const entries = parseKnownHosts(['# comment', '', line('web1,10.0.0.5', other), line('[127.0.1.1]:2222', key)].join('\n'), 'kh');
    expect(checkHostKey(key, '[127.0.1.1]:2222', { knownHosts: entries })).toEqual({ ok: true, via: 'kh line 4' });
    expect(checkHostKey(other, '10.0.0.5', { knownHosts: entries })).toEqual({ ok: true, via: 'kh line 3' });
  });

  it('calls another key for a known name a mismatch, and a name with no entry unknown', () => {
    const entries = parseKnownHosts(line('[127.0.1.1]:2222', other), 'kh');
    expect(checkHostKey(key, '[127.0.1.1]:2222', { knownHosts: entries })).toEqual({ ok: false, kind: 'mismatch', expected: [other.fingerprint], source: 'kh line 1' });
    expect(checkHostKey(key, '127.0.1.1', { knownHosts: entries })).toEqual({ ok: false, kind: 'unknown' });
    expect(checkHostKey(key, 'x', { knownHosts: [] })).toEqual({ ok: false, kind: 'unknown' });
  });

  it('matches names hashed by ssh-keygen -H (HMAC-SHA1)', () => {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(file, `${line('[127.0.1.2]:2200', key)}\n${line('web9', other)}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(entries.every((entry) => 'salt' in entry.names)).toBe(true);
    expect(checkHostKey(key, '[127.0.1.2]:2200', { knownHosts: entries })).toMatchObject({ ok: true });
    expect(checkHostKey(other, 'web9', { knownHosts: entries })).toMatchObject({ ok: true });
    expect(checkHostKey(key, 'web9', { knownHosts: entries })).toMatchObject({ ok: false, kind: 'mismatch' });
    expect(checkHostKey(key, '[127.0.1.2]:2201', { knownHosts: entries })).toEqual({ ok: false, kind: 'unknown' });
  });

  it('honours patterns and refuses a @revoked key even when pinned', () => {
    const entries = parseKnownHosts([line('*.example,!bad.example', key), `@revoked * ${other.type} ${other.base64}`, `@cert-authority * ${key.type} ${key.base64}`].join('\n'), 'kh');
    expect(entries).toHaveLength(2);
    expect(checkHostKey(key, 'web.example', { knownHosts: entries })).toMatchObject({ ok: true });
    expect(checkHostKey(key, 'bad.example', { knownHosts: entries })).toEqual({ ok: false, kind: 'unknown' });
    expect(checkHostKey(other, 'web.example', { pinned: other.fingerprint, knownHosts: entries })).toEqual({
      ok: false,
      kind: 'mismatch',
      expected: [],
      source: '@revoked in kh line 2',
    });
  });

  it('appends accepted keys to a 0600 file that reads back as known', async () => {
    const file = join(dir, 'data', 'known_hosts');
    await appendKnownHost(file, '[127.0.1.1]:2222', key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entries = await readKnownHosts([join(dir, 'missing'), file]);
    expect(checkHostKey(key, '[127.0.1.1]:2222', { knownHosts: entries })).toEqual({ ok: true, via: `${file} line 1` });
  });
});
