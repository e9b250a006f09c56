import type { Server } from 'node:http';
import type { Services } from '../app/services.js';
import type { ServiceDeps } from '../app/context.js';

/** WebSocket hub (in progress): upgrade, authentication, fan-out of cluster events. */
export class WebSocketHub {
  constructor(private readonly deps: ServiceDeps & { services: Services; nodeId: string }) {}

  attach(server: Server): void {
    void server;
    void this.deps;
  }

  async close(): Promise<void> {}
}
