import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_READ_CHUNK_BYTES, AuditLog, type AuditEntry } from './audit-log.js';

let dir: string;
let log: AuditLog;

function entry(ts: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return { ts, profile: 'ops', host: 'web1', node: 'n1', action: 'start', result: 'ok', durationMs: 12, ...overrides };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  log = AuditLog.inDataDir(join(dir, 'data'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AuditLog', () => {
  it('appends JSON lines (creating the data dir, file mode 0600) and reads them newest first', async () => {
    await log.append(entry(1));
    await log.append(entry(2, { action: 'drain', result: 'failed', detail: 'n1 is not running' }));
    await log.append(entry(3, { node: null, action: 'accept-host-key', detail: 'SHA256:abc' }));
    expect(readFileSync(log.file, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
    const page = await log.read();
    expect(page.skipped).toBe(0);
    expect(page.entries.map((e) => e.ts)).toEqual([3, 2, 1]);
    expect(page.entries[1]).toEqual(entry(2, { action: 'drain', result: 'failed', detail: 'n1 is not running' }));
  });

  it('pages with limit and before', async () => {
    for (let ts = 1; ts <= 10; ts += 1) await log.append(entry(ts));
    expect((await log.read({ limit: 3 })).entries.map((e) => e.ts)).toEqual([10, 9, 8]);
    expect((await log.read({ limit: 3, before: 8 })).entries.map((e) => e.ts)).toEqual([7, 6, 5]);
    expect((await log.read({ limit: 0 })).entries).toHaveLength(1);
  });

  it('skips and counts corrupt, truncated and invalid lines', async () => {
    await log.append(entry(1));
    appendFileSync(log.file, 'not json\n{"ts":2,"profile":"ops"}\n\n');
    await log.append(entry(3));
    appendFileSync(log.file, '{"ts":4,"prof');
    const page = await log.read();
    expect(page.entries.map((e) => e.ts)).toEqual([3, 1]);
    expect(page.skipped).toBe(3);
  });

  it('reads across chunk boundaries, with multi-byte characters', async () => {
    const detail = 'é'.repeat(900);
    const count = Math.ceil((AUDIT_READ_CHUNK_BYTES * 3) / 2000);
    for (let ts = 1; ts <= count; ts += 1) await log.append(entry(ts, { detail }));
    const page = await log.read({ limit: 1000 });
    expect(page.skipped).toBe(0);
    expect(page.entries).toHaveLength(count);
    expect(page.entries.every((e) => e.detail === detail)).toBe(true);
  });

  it('keeps concurrent appends whole, and clips over-long fields', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(entry(i, { node: `n1; rm -rf / ${'x'.repeat(400)}` }))));
    const page = await log.read({ limit: 100 });
    expect(page.entries).toHaveLength(50);
    expect(page.skipped).toBe(0);
    expect(page.entries[0]!.node!.length).toBe(256);
  });

  it('reads an absent log as empty, and refuses an invalid entry', async () => {
    expect(await log.read()).toEqual({ entries: [], skipped: 0 });
    expect(() => log.append({ ...entry(1), result: 'maybe' as 'ok' })).toThrow();
  });

  it('reports a write it cannot do as audit.write_failed', async () => {
    const blocked = new AuditLog(join(log.file, 'x', 'audit.jsonl'));
    await log.append(entry(1));
    await expect(blocked.append(entry(2))).rejects.toMatchObject({ id: 'audit.write_failed' });
  });
});
