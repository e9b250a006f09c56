import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSwitchboardError } from '@switchboard/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { isOurs, lockNode, nodeFiles, processAlive, readPidFile, readRunning } from './process-control.js';

const runDir = mkdtempSync(join(tmpdir(), 'nodectl-unit-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

/** A pid that surely belonged to a process which has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('pid files', () => {
  it('tells a live process of ours from a gone one, a recycled pid and a malformed file', () => {
    const me = { pid: process.pid, startedAt: Date.now(), listen: '127.0.0.1:1' };
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(deadPid())).toBe(false);
    expect(processAlive(0)).toBe(false);
    expect(processAlive(-1)).toBe(false);
    expect(isOurs(me)).toBe(true);
    if (existsSync('/proc/self/stat')) expect(isOurs({ ...me, startTicks: 1 })).toBe(false); // same pid, another start: reused

    writeFileSync(nodeFiles(runDir, 'live').pid, JSON.stringify(me));
    expect(readPidFile(runDir, 'live')).toEqual({ running: me });
    writeFileSync(nodeFiles(runDir, 'gone').pid, JSON.stringify({ ...me, pid: deadPid() }));
    writeFileSync(nodeFiles(runDir, 'junk').pid, '{"pid": "soon"');
    expect(readPidFile(runDir, 'gone')).toEqual({ stale: true });
    expect(readPidFile(runDir, 'junk')).toEqual({ stale: true });
    expect(readPidFile(runDir, 'none')).toBeUndefined();
    expect(readRunning(runDir, 'gone')).toBeUndefined();
    expect(readRunning(runDir, 'junk')).toBeUndefined();
    expect(existsSync(nodeFiles(runDir, 'gone').pid)).toBe(false);
    expect(existsSync(nodeFiles(runDir, 'junk').pid)).toBe(false);
    expect(readRunning(runDir, 'live')).toEqual(me);
  });
});

describe('lockNode', () => {
  it('refuses a lock a live nodectl holds, takes over an abandoned one, releases cleanly', () => {
    const release = lockNode(runDir, 'n1');
    try {
      lockNode(runDir, 'n1');
      throw new Error('second lock taken');
    } catch (err) {
      expect(isSwitchboardError(err) && err.id).toBe('nodectl.conflict');
    }
    release();
    expect(existsSync(nodeFiles(runDir, 'n1').lock)).toBe(false);

    writeFileSync(nodeFiles(runDir, 'n2').lock, String(deadPid()));
    lockNode(runDir, 'n2')();
    expect(readdirSync(runDir).filter((name) => name.includes('lock') || name.endsWith('.tmp'))).toEqual([]);
  });
});
