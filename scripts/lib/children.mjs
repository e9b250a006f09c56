// Child processes of the demo: started in their own process group (so Ctrl-C reaches only the
// demo, which then stops them in reverse order), output kept in a log file and the last lines in
// memory, and an unexpected exit reported to the owner.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const TAIL_LINES = 30;

/** One supervised child process. */
class Child {
  constructor(name, proc, { logFile, stopSignal, stopTimeoutMs, onLine }) {
    this.name = name;
    this.onLine = onLine;
    this.proc = proc;
    this.logFile = logFile;
    this.stopSignal = stopSignal;
    this.stopTimeoutMs = stopTimeoutMs;
    this.tail = [];
    this.partial = { stdout: '', stderr: '' };
    this.expectedExit = false;
    this.exit = new Promise((resolve) => {
      proc.once('exit', (code, signal) => resolve({ code, signal }));
      // A command that cannot be spawned at all reports 'error' and never 'exit'.
      proc.once('error', (err) => proc.pid === undefined && resolve({ code: null, signal: null, error: err }));
    });
    this.exited = false;
    this.exit.then(() => (this.exited = true));
  }

  /** Keeps output in the log file and the last few lines in memory (a line split across chunks is joined). */
  record(stream, source, chunk) {
    stream.write(chunk);
    const parts = (this.partial[source] + chunk.toString('utf8')).split('\n');
    this.partial[source] = parts.pop();
    const lines = parts.filter(Boolean);
    this.tail.push(...lines);
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
    if (this.onLine) for (const line of lines) this.onLine(line);
  }

  /** Asks the process to stop, then kills it if it takes longer than its stop timeout. */
  async stop() {
    this.expectedExit = true;
    if (this.exited) return;
    signalGroup(this.proc.pid, this.stopSignal);
    const timer = setTimeout(() => signalGroup(this.proc.pid, 'SIGKILL'), this.stopTimeoutMs);
    await this.exit;
    clearTimeout(timer);
    // Anything the child left behind in its group (it should be nothing) goes too.
    signalGroup(this.proc.pid, 'SIGKILL');
  }
}

/** Sends a signal to a whole process group, ignoring one that is already gone. */
function signalGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
}

/** Starts children and stops them all in reverse order of start. */
export class Supervisor {
  /** @param {(child: Child, exit: {code: number|null, signal: string|null}) => void} onUnexpectedExit */
  constructor(onUnexpectedExit) {
    this.children = [];
    this.onUnexpectedExit = onUnexpectedExit;
  }

  /**
   * Spawns `command args` in a new process group with its output going to `logFile`.
   * Options: env, cwd, uid, gid, stopSignal (default SIGTERM), stopTimeoutMs (default 15000),
   * onLine (called with each line of output, e.g. to catch a printed URL).
   */
  start(name, command, args, { env = process.env, cwd, uid, gid, logFile, stopSignal = 'SIGTERM', stopTimeoutMs = 15_000, onLine }) {
    mkdirSync(dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile, { flags: 'a' });
    const proc = spawn(command, args, { env, cwd, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = new Child(name, proc, { logFile, stopSignal, stopTimeoutMs, onLine });
    proc.stdout.on('data', (chunk) => child.record(log, 'stdout', chunk));
    proc.stderr.on('data', (chunk) => child.record(log, 'stderr', chunk));
    proc.once('error', (err) => child.tail.push(`${name}: ${err.message}`));
    this.children.push(child);
    child.exit.then((exit) => {
      log.end();
      if (!child.expectedExit) this.onUnexpectedExit(child, exit);
    });
    return child;
  }

  /** Stops every child, most recently started first. */
  async stopAll() {
    for (const child of [...this.children].reverse()) await child.stop();
  }
}
