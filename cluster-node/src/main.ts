import { ConfigError, loadConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';
import { createNode } from './node.js';

/**
 * `switchboard-node`: reads configuration from SB_* variables (and SB_CONFIG_FILE), starts one
 * node; SIGTERM drains it and SIGINT stops it, both exiting 0. Bad configuration exits 2 with one line.
 */
export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchboard-node: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel, nodeId: config.nodeId! });
  const node = createNode(config, log);
  let stopping = false;
  // SIGTERM drains (the orchestrated path: balancer out, sockets moved, lease released);
  // SIGINT (Ctrl-C) stops at once.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    (signal === 'SIGTERM' ? node.drain() : node.stop()).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await node.start();
  } catch (err) {
    log.fatal({ err }, 'start failed');
    await node.stop().catch(() => {});
    process.exit(1);
  }
}
