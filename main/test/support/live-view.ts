import { observerUpdateSchema, type ClusterSnapshot, type ObservedEvent, type ObserverUpdate } from '@switchboard/shared';
import type { ClusterObserver } from '../../src/core/observer/observer.js';

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a renderer would hold: the first snapshot with every delta applied, and when each update came. */
export class LiveView {
  state: ClusterSnapshot | undefined;
  readonly updates: Array<{ at: number; update: ObserverUpdate }> = [];
  readonly events: ObservedEvent[] = [];
  eventsDropped = 0;
  readonly unsubscribe: () => void;

  constructor(observer: ClusterObserver) {
    this.unsubscribe = observer.subscribe((update) => {
      observerUpdateSchema.parse(update);
      this.updates.push({ at: Date.now(), update });
      if (update.type === 'snapshot') this.state = update.snapshot;
      else {
        this.state = { ...this.state!, ...update.changes };
        this.events.push(...update.events);
        this.eventsDropped += update.eventsDropped;
      }
    });
  }

  /** Resolves with the first truthy value of `check` over the state, polled every 10 ms. */
  async until<T>(what: string, check: (state: ClusterSnapshot) => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = this.state && check(this.state);
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; state: ${JSON.stringify(this.state).slice(0, 1500)}`);
      await sleep(10);
    }
  }
}
