// The machine a run measured on, for the report: cores, memory, versions, open-file limit.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { serviceVersions } from './services.mjs';

/** Soft and hard `ulimit -n` of this process (children inherit them). */
export function openFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/);
    return { soft: Number(soft) || soft, hard: Number(hard) || hard };
  } catch {
    return { soft: null, hard: null };
  }
}

/** Cores, memory, kernel, Node, Redis and Postgres versions, open-file limit. */
export async function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...(await serviceVersions()),
    openFiles: openFileLimit(),
  };
}

/** `os.loadavg()` rounded, as [1 min, 5 min, 15 min]. */
export function loadAverage() {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}
