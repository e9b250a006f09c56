import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { matchesPatternList } from '../profiles/host-pattern.js';

/**
 * SSH host keys: fingerprints as `ssh-keygen -lf` prints them, and OpenSSH known_hosts files.
 * known_hosts subset: plain host patterns (`host`, `[host]:port`, comma lists, `*`, `?`, `!`),
 * hashed names (`|1|salt|hmac`, HMAC-SHA1 of the name keyed by the salt), and the `@revoked`
 * marker. `@cert-authority` lines are ignored (the console does not do host certificates).
 */

/** A host key as the server presented it. */
export interface HostKey {
  /** e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  type: string;
  /** The key blob, base64 (the second field of a known_hosts line). */
  base64: string;
  /** `SHA256:<base64 of sha256(blob)>`, no padding. */
  fingerprint: string;
}

/**
 * The fingerprint of a raw key blob, exactly as `ssh-keygen -lf` prints it.
 * @example fingerprintOf(blob) // 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'
 */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A fingerprint without base64 padding, so `SHA256:x=` and `SHA256:x` compare equal. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.trim().replace(/=+$/, '');
}

/** Type, base64 and fingerprint of a raw key blob (the SSH wire format: string type, then key data). */
export function describeHostKey(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = length > 0 && length <= blob.length - 4 ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  return { type, base64: blob.toString('base64'), fingerprint: fingerprintOf(blob) };
}

/**
 * The name a host is recorded under in known_hosts: `address` on port 22, else `[address]:port`.
 * @example knownHostsName('127.0.1.1', 2222) // '[127.0.1.1]:2222'
 */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** One usable line of a known_hosts file. */
export interface KnownHostsEntry {
  file: string;
  line: number;
  revoked: boolean;
  /** Comma-separated patterns, or a hashed name. */
  names: { patterns: string[] } | { salt: Buffer; hash: Buffer };
  type: string;
  base64: string;
}

/** Parses known_hosts text; malformed and @cert-authority lines are skipped. */
export function parseKnownHosts(text: string, file: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let revoked = false;
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked') return;
      revoked = true;
      fields.shift();
    }
    const [hosts, type, base64] = fields;
    if (!hosts || !type || !base64) return;
    const hashed = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
    const names = hashed ? { salt: Buffer.from(hashed[1]!, 'base64'), hash: Buffer.from(hashed[2]!, 'base64') } : { patterns: hosts.split(',') };
    entries.push({ file, line: index + 1, revoked, names, type, base64 });
  });
  return entries;
}

/** Whether a known_hosts entry is for `name` (a {@link knownHostsName}). */
export function entryMatches(entry: KnownHostsEntry, name: string): boolean {
  if ('patterns' in entry.names) return matchesPatternList(name, entry.names.patterns);
  const mac = createHmac('sha1', entry.names.salt).update(name).digest();
  return mac.length === entry.names.hash.length && timingSafeEqual(mac, entry.names.hash);
}

/** The fingerprint of a known_hosts entry's key. */
function entryFingerprint(entry: KnownHostsEntry): string {
  return fingerprintOf(Buffer.from(entry.base64, 'base64'));
}

/** What the console decides about a presented key. */
export type HostKeyVerdict =
  | { ok: true; via: string }
  | { ok: false; kind: 'unknown' }
  | { ok: false; kind: 'mismatch'; expected: string[]; source: string };

/**
 * Decides about a presented host key: a revoked key is refused; a pinned fingerprint must equal
 * it; otherwise the known_hosts entries for `name` must include it (entries for the name with
 * other keys make it a mismatch; no entry at all makes it unknown).
 */
export function checkHostKey(key: HostKey, name: string, policy: { pinned?: string; knownHosts: readonly KnownHostsEntry[] }): HostKeyVerdict {
  const forName = policy.knownHosts.filter((entry) => entryMatches(entry, name));
  const revoked = forName.find((entry) => entry.revoked && entry.base64 === key.base64);
  if (revoked) return { ok: false, kind: 'mismatch', expected: [], source: `@revoked in ${revoked.file} line ${revoked.line}` };
  if (policy.pinned !== undefined) {
    const pinned = normalizeFingerprint(policy.pinned);
    if (pinned === key.fingerprint) return { ok: true, via: 'the pinned fingerprint' };
    return { ok: false, kind: 'mismatch', expected: [pinned], source: "the profile's pinned hostKeyFingerprint" };
  }
  const recorded = forName.filter((entry) => !entry.revoked);
  const same = recorded.find((entry) => entry.base64 === key.base64);
  if (same) return { ok: true, via: `${same.file} line ${same.line}` };
  if (recorded.length === 0) return { ok: false, kind: 'unknown' };
  const source = [...new Set(recorded.map((entry) => `${entry.file} line ${entry.line}`))].join(', ');
  return { ok: false, kind: 'mismatch', expected: [...new Set(recorded.map(entryFingerprint))], source };
}

/** The entries of every file that exists (missing files contribute nothing). */
export async function readKnownHosts(files: readonly string[]): Promise<KnownHostsEntry[]> {
  const entries: KnownHostsEntry[] = [];
  for (const file of files) {
    try {
      entries.push(...parseKnownHosts(await readFile(file, 'utf8'), file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return entries;
}

/** Appends `name type base64` to a known_hosts file (created 0600, its folder 0700). */
export async function appendKnownHost(file: string, name: string, key: HostKey): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${name} ${key.type} ${key.base64}\n`, { mode: 0o600 });
}
