/** Shortest time between two live updates, ms: at most four a second, whatever the event rate. @default 250 */
export const OBSERVER_UPDATE_INTERVAL_MS = 250;

/** Timers, injectable so tests run without waiting. */
export interface ThrottleTimers {
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realTimers: ThrottleTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Coalesces change notices into flushes at most once every `intervalMs`: the first notice after
 * a quiet spell flushes at once, later ones are folded into one flush at the end of the interval.
 * However many times {@link UpdateThrottle.mark} is called in a second, `flush` runs at most
 * 1000 / intervalMs + 1 times in it.
 * @example const throttle = new UpdateThrottle(() => emit(), 250); bus.on('message', () => throttle.mark());
 */
export class UpdateThrottle {
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private closed = false;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs = OBSERVER_UPDATE_INTERVAL_MS,
    private readonly timers: ThrottleTimers = realTimers,
  ) {}

  /** Notes that something changed: flushes now, or schedules one flush when the interval ends. */
  mark(): void {
    if (this.closed || this.timer !== undefined) return;
    const wait = this.lastFlush + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  /** Drops a pending flush; later marks are ignored. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    if (this.closed) return;
    this.lastFlush = this.timers.now();
    this.flush();
  }
}
