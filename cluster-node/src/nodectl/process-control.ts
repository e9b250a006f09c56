import { spawn } from 'node:child_process';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { nodectlError } from './errors.js';

/** How often waits poll the process or its ping, ms. @default 100 */
export const POLL_MS = 100;

const pidRecordSchema = z.object({
  pid: z.number().int().positive(),
  /** Epoch ms when nodectl spawned it. */
  startedAt: z.number().int().nonnegative(),
  listen: z.string(),
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat), to detect pid reuse. */
  startTicks: z.number().int().nonnegative().optional(),
});

/** What `<runDir>/<id>.pid` holds. */
export type PidRecord = z.infer<typeof pidRecordSchema>;

/** The files nodectl keeps for one node. */
export function nodeFiles(runDir: string, id: string): { pid: string; log: string; lock: string } {
  return { pid: join(runDir, `${id}.pid`), log: join(runDir, `${id}.log`), lock: join(runDir, `${id}.lock`) };
}

/** `/proc/<pid>/stat`'s state and start time, or undefined where there is no /proc or no such process. */
function procStat(pid: number): { state: string; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    return Number.isInteger(startTicks) ? { state: fields[0] ?? '', startTicks } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists and is not a zombie (EPERM: someone else's, so not ours). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = procStat(pid);
  return stat === undefined || (stat.state !== 'Z' && stat.state !== 'X');
}

/** Whether the pid file still describes a live process we started (not a recycled pid). */
export function isOurs(record: PidRecord): boolean {
  if (!processAlive(record.pid)) return false;
  if (record.startTicks === undefined) return true;
  const stat = procStat(record.pid);
  return stat === undefined || stat.startTicks === record.startTicks;
}

/** What the pid file says: a live process of ours, nothing (no file), or a stale file. */
export type PidFileState = { running: PidRecord } | { stale: true } | undefined;

/** Reads `<runDir>/<id>.pid`; a file that is unreadable, malformed or names a gone process is stale. */
export function readPidFile(runDir: string, id: string): PidFileState {
  let text: string;
  try {
    text = readFileSync(nodeFiles(runDir, id).pid, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const result = pidRecordSchema.safeParse(JSON.parse(text));
    if (result.success && isOurs(result.data)) return { running: result.data };
  } catch {
    // malformed: stale
  }
  return { stale: true };
}

/**
 * The node's pid record if its process still runs; a stale pid file is removed. Call it holding
 * the node's lock ({@link lockNode}), so the file removed is never one a concurrent start just wrote.
 */
export function readRunning(runDir: string, id: string): PidRecord | undefined {
  const state = readPidFile(runDir, id);
  if (state && 'running' in state) return state.running;
  if (state) removePidFile(runDir, id);
  return undefined;
}

/** Removes the node's pid file. */
export function removePidFile(runDir: string, id: string): void {
  rmSync(nodeFiles(runDir, id).pid, { force: true });
}

/**
 * Spawns the node detached (its own process group, surviving nodectl), output appended to its
 * log, and writes the pid file. No shell is involved: argv and env are passed as they are.
 */
export function spawnNode(options: { runDir: string; id: string; bin: string; env: Record<string, string>; listen: string }): PidRecord {
  const files = nodeFiles(options.runDir, options.id);
  const logFd = openSync(files.log, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [options.bin], { env: options.env, detached: true, stdio: ['ignore', logFd, logFd] });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not spawn ${options.bin}`);
    const record: PidRecord = { pid: child.pid, startedAt: Date.now(), listen: options.listen, startTicks: procStat(child.pid)?.startTicks };
    // Written aside and renamed into place, so a concurrent reader never sees half a file.
    const partial = `${files.pid}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    renameSync(partial, files.pid);
    return record;
  } finally {
    closeSync(logFd);
  }
}

/** Sends a signal; a process that is already gone is not an error. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Polls until the process is gone; resolves whether it went within `timeoutMs`. */
export async function waitForExit(record: PidRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isOurs(record)) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Takes `<runDir>/<id>.lock` so two nodectl runs never act on one node at once; a lock left by a
 * nodectl that died is taken over. Returns the release function.
 */
export function lockNode(runDir: string, id: string): () => void {
  const file = nodeFiles(runDir, id).lock;
  // Created complete (written aside, then hard-linked into place, which fails if it exists), so
  // a reader never sees an empty lock and mistakes it for an abandoned one.
  const mine = `${file}.${process.pid}.tmp`;
  writeFileSync(mine, String(process.pid), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        linkSync(mine, file);
        return () => rmSync(file, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number(readFileSync(file, 'utf8').trim());
        if (processAlive(holder)) throw nodectlError('nodectl.conflict', `another nodectl (pid ${holder}) is acting on ${id}`);
        rmSync(file, { force: true });
      }
    }
    throw nodectlError('nodectl.conflict', `could not take the lock on ${id}`);
  } finally {
    rmSync(mine, { force: true });
  }
}
