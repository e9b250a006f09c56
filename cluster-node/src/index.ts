/** @switchboard/cluster-node: build and run Switchboard chat nodes. */
export { createNode, type SwitchboardNode } from './node.js';
export { loadConfig, ConfigError, ENV_VARS } from './config/load-config.js';
export { createLogger } from './logging/logger.js';
export { main } from './main.js';
