import { mkdir, open, appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SwitchboardError } from '@switchboard/shared';
import { z } from 'zod';

/** The audit log's file name in the console's data directory. @default 'audit.jsonl' */
export const AUDIT_FILE_NAME = 'audit.jsonl';

/** Entries `read()` returns when no limit is given. @default 100 */
export const AUDIT_DEFAULT_LIMIT = 100;

/** The most entries one `read()` returns. @default 1000 */
export const AUDIT_MAX_LIMIT = 1000;

/** Bytes read per step when reading the file backwards. @default 65536 */
export const AUDIT_READ_CHUNK_BYTES = 64 * 1024;

/**
 * One audited operator action. `action` and `node` hold what was ASKED for, even when it was
 * refused (an attempt with a node id like `n1; rm -rf /` is recorded, as JSON text).
 */
export const auditEntrySchema = z
  .object({
    /** When the action finished, epoch ms. */
    ts: z.number().int().nonnegative(),
    /** The profile's name. */
    profile: z.string().min(1).max(128),
    /** The host's name in the profile (as asked for). */
    host: z.string().max(256),
    /** The node id, or null for host-level actions (accepting a host key). */
    node: z.string().max(256).nullable(),
    /** `start`, `drain`, `kill`, `restart`, `accept-host-key`, ... */
    action: z.string().min(1).max(64),
    result: z.enum(['ok', 'failed']),
    /** Why it failed, or what it did (a pid, a fingerprint); never a secret. */
    detail: z.string().max(2000).optional(),
    durationMs: z.number().nonnegative(),
  })
  .strict();

/** One line of the audit log. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** What {@link AuditLog.read} returns: entries newest first, and how many lines were unreadable. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Lines scanned that were not valid entries (corrupt or truncated); they are skipped. */
  skipped: number;
}

/** Cuts a string to `max` characters (audit fields are bounded). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Yields the file's lines from the last to the first, reading backwards in chunks. */
async function* linesFromEnd(file: string): AsyncGenerator<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    let position = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    while (position > 0) {
      const size = Math.min(AUDIT_READ_CHUNK_BYTES, position);
      position -= size;
      const chunk = Buffer.alloc(size);
      await handle.read(chunk, 0, size, position);
      // Splitting bytes on '\n' is safe for UTF-8: that byte never occurs inside a character.
      const data = Buffer.concat([chunk, carry]);
      let end = data.length;
      for (let i = data.length - 1; i >= 0; i -= 1) {
        if (data[i] !== 0x0a) continue;
        if (end > i + 1) yield data.subarray(i + 1, end).toString('utf8');
        end = i;
      }
      carry = data.subarray(0, end);
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Parses one line into an entry, or undefined when it is not a valid one. */
function parseLine(line: string): AuditEntry | undefined {
  try {
    const result = auditEntrySchema.safeParse(JSON.parse(line));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The append-only audit log: one JSON object per line (JSON Lines) in the console's data
 * directory, file mode 0600. Appends are serialised and each is one write with O_APPEND, so
 * lines never interleave. Reading validates every line; bad ones are skipped and counted.
 * @example const audit = AuditLog.inDataDir(dataDir); await audit.append({...}); await audit.read({ limit: 20 });
 */
export class AuditLog {
  /** The JSON Lines file. */
  readonly file: string;
  #tail: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /** The audit log at `<dataDir>/audit.jsonl`. */
  static inDataDir(dataDir: string): AuditLog {
    return new AuditLog(join(dataDir, AUDIT_FILE_NAME));
  }

  /** Appends one entry (free-text fields clipped to their bounds); a failed write is `audit.write_failed`. */
  append(entry: AuditEntry): Promise<void> {
    const clipped = { ...entry, host: clip(entry.host, 256), node: entry.node === null ? null : clip(entry.node, 256), action: clip(entry.action, 64) };
    if (clipped.detail !== undefined) clipped.detail = clip(clipped.detail, 2000);
    const parsed = auditEntrySchema.parse(clipped);
    const write = this.#tail.then(async () => {
      try {
        await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
        await appendFile(this.file, `${JSON.stringify(parsed)}\n`, { mode: 0o600, flag: 'a' });
      } catch (err) {
        throw new SwitchboardError('audit.write_failed', { detail: `${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, cause: err });
      }
    });
    this.#tail = write.catch(() => {});
    return write;
  }

  /**
   * Up to `limit` entries, newest first; with `before` (epoch ms), only entries older than it,
   * to page back. Reads the file from its end, so a long log costs only what is returned.
   */
  async read(options: { limit?: number; before?: number } = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? AUDIT_DEFAULT_LIMIT)), AUDIT_MAX_LIMIT);
    const entries: AuditEntry[] = [];
    let skipped = 0;
    await this.#tail;
    for await (const line of linesFromEnd(this.file)) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (!entry) {
        skipped += 1;
        continue;
      }
      if (options.before !== undefined && entry.ts >= options.before) continue;
      entries.push(entry);
      if (entries.length >= limit) break;
    }
    return { entries, skipped };
  }
}
