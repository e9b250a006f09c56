import { execFile, type ExecFileException } from 'node:child_process';
import { constants } from 'node:os';
import { withoutSecrets } from '../secrets/secret-store.js';
import { hostError } from './errors.js';
import { DEFAULT_EXEC_TIMEOUT_MS, MAX_OUTPUT_BYTES, type ExecOptions, type ExecResult, type HostTransport } from './transport.js';

/** Options of {@link LocalTransport}. */
export interface LocalTransportOptions {
  /** The environment commands run in; SB_SECRET_* variables are removed from it. */
  env: Readonly<Record<string, string | undefined>>;
  /** @default MAX_OUTPUT_BYTES */
  maxOutputBytes?: number;
}

/** What a command that could not start or was stopped reports, shell style. */
function exitCodeOf(err: ExecFileException): number {
  if (typeof err.code === 'number') return err.code;
  if (err.code === 'ENOENT') return 127;
  if (err.code === 'EACCES') return 126;
  if (err.signal) return 128 + (constants.signals[err.signal] ?? 0);
  return 1;
}

/**
 * Runs commands on this machine with child_process.execFile: no shell, so argv elements are
 * never interpreted. Used by the `local` profile (hosts with `local: true`). A command that does
 * not exist reports exit 127 like a shell would; one that outlives its timeout is killed (SIGKILL)
 * and fails with `hosts.command_timeout`.
 */
export class LocalTransport implements HostTransport {
  readonly #env: Record<string, string>;
  readonly #maxOutputBytes: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: LocalTransportOptions) {
    this.#env = withoutSecrets(options.env);
    this.#maxOutputBytes = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  }

  /** Runs `argv` without a shell; resolves with its exit code and output. */
  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (this.#closed) return Promise.reject(hostError('hosts.unreachable', 'the local transport is closed'));
    if (argv.length === 0 || argv[0] === '') return Promise.reject(hostError('hosts.invalid_argument', 'empty command'));
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const run = new Promise<ExecResult>((resolve, reject) => {
      const [file, ...args] = argv as [string, ...string[]];
      const child = execFile(
        file,
        args,
        { env: this.#env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: this.#maxOutputBytes, encoding: 'utf8', windowsHide: true },
        (err, stdout, stderr) => {
          if (!err) return resolve({ code: 0, stdout, stderr });
          if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            return reject(hostError('hosts.command_failed', `${file} wrote more than ${this.#maxOutputBytes} bytes of output and was killed`));
          }
          if (err.killed && err.signal === 'SIGKILL' && child.exitCode === null) {
            return reject(hostError('hosts.command_timeout', `${file} did not finish within ${timeoutMs} ms and was killed`));
          }
          const missing = err.code === 'ENOENT' ? `${file}: command not found\n` : '';
          resolve({ code: exitCodeOf(err), stdout, stderr: `${stderr}${missing}` });
        },
      );
    });
    this.#inFlight.add(run);
    const untrack = () => this.#inFlight.delete(run);
    run.then(untrack, untrack);
    return run;
  }

  /** Refuses new commands and waits for those in flight (each bounded by its timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
  }
}
