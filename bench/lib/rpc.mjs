// Request/response over the IPC channel of a forked load generator. Every call has a deadline;
// a worker exits by itself when its parent goes away, so no generator outlives a run.
import { fork } from 'node:child_process';

/**
 * A forked worker answering `call(cmd, payload)`; `stop()` ends it (SIGTERM, then SIGKILL).
 * @example const w = startWorker(new URL('../workers/poster.mjs', import.meta.url)); await w.call('run', {...});
 */
export function startWorker(script, { name = 'worker', args = [], execArgv = [] } = {}) {
  const child = fork(script instanceof URL ? script.pathname : script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${name}.${waiter.cmd}: ${message.error}`));
  });
  void exited.then((code) => {
    for (const waiter of pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${name} exited (${code}) during ${waiter.cmd}`));
    }
    pending.clear();
  });
  return {
    name,
    pid: child.pid,
    exited,
    call(cmd, payload = {}, timeoutMs = 60_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}.${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { cmd, resolve, reject, timer });
        child.send({ id, cmd, payload });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Worker side: answers each `{id, cmd, payload}` with its handler's result (or error), and exits
 * when the parent disconnects.
 */
export function serve(handlers) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', async ({ id, cmd, payload }) => {
    const handler = handlers[cmd];
    try {
      if (!handler) throw new Error(`unknown command ${cmd}`);
      process.send({ id, ok: true, result: await handler(payload) });
    } catch (err) {
      process.send({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
