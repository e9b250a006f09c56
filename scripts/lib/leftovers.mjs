// What a demo that was killed outright (SIGKILL, a closed terminal) leaves behind: its children
// run in their own process groups and survive it. Each child is recorded in
// .run/demo/children.json when started; the next demo stops what is still running of them (the
// nodes, which nodectl runs, are handled by nodes.mjs). A demo that still runs is left alone.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoError } from './postgres.mjs';

function recordFile(root) {
  return join(root, '.run', 'demo', 'children.json');
}

/** `/proc/<pid>/stat`'s start time (clock ticks since boot), to tell a recycled pid from ours. */
export function startTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ticks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** Whether the process runs (not a zombie) and, when `ticks` is given, is the one that started then. */
export function stillRunning(pid, ticks) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  const stat = startTicks(pid);
  if (!stat) return process.platform !== 'linux';
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return ticks === undefined || stat.ticks === ticks;
}

/** Appends a started child to the record. */
export function recordChild(root, record, child) {
  record.children.push({ name: child.name, pid: child.proc.pid, ticks: startTicks(child.proc.pid)?.ticks, signal: child.stopSignal });
  writeFileSync(recordFile(root), `${JSON.stringify(record)}\n`);
}

/** A fresh record for this demo (written at once, so a second demo started now sees this one). */
export function newRecord(root) {
  const record = { demoPid: process.pid, demoTicks: startTicks(process.pid)?.ticks, children: [] };
  writeFileSync(recordFile(root), `${JSON.stringify(record)}\n`);
  return record;
}

/** Removes the record once everything stopped. */
export function clearRecord(root) {
  rmSync(recordFile(root), { force: true });
}

/**
 * Refuses to start while another demo of this checkout runs; stops the children an earlier,
 * killed demo left running (its stop signal to their process group, SIGKILL after 10 s). Resolves the
 * names of what it stopped.
 */
export async function stopLeftoverChildren(root, progress) {
  const file = recordFile(root);
  if (!existsSync(file)) return [];
  let previous;
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  if (previous.demoPid !== process.pid && stillRunning(previous.demoPid, previous.demoTicks)) {
    throw new DemoError(`another demo runs from this checkout (pid ${previous.demoPid}): stop it first (Ctrl-C in its terminal, or kill ${previous.demoPid})`);
  }
  const stopped = [];
  for (const child of previous.children ?? []) {
    if (!Number.isInteger(child.pid) || !stillRunning(child.pid, child.ticks)) continue;
    progress(`${child.name} (pid ${child.pid}) was left running by an earlier demo: stopping it`);
    try {
      process.kill(-child.pid, child.signal ?? 'SIGTERM');
    } catch {
      continue;
    }
    for (let i = 0; i < 100 && stillRunning(child.pid, child.ticks); i += 1) await sleep(100);
    if (stillRunning(child.pid, child.ticks)) process.kill(-child.pid, 'SIGKILL');
    stopped.push(child.name);
  }
  rmSync(file, { force: true });
  return stopped;
}
