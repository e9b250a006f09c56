import type { NodeConfig } from './node-config.js';

/**
 * The environment variables a node reads, each onto a field of the node config schema.
 * SB_CONFIG_FILE names an optional JSON file with the same fields (camelCase); the environment
 * wins over the file.
 */
export const NODE_ENV_VARS = {
  SB_NODE_ID: 'nodeId',
  SB_LISTEN: 'listen',
  SB_DATABASE_URL: 'databaseUrl',
  SB_DATABASE_POOL_SIZE: 'databasePoolSize',
  SB_REDIS_URL: 'redisUrl',
  SB_REDIS_SENTINELS: 'redisSentinels',
  SB_REDIS_SENTINEL_MASTER: 'redisSentinelMaster',
  SB_REDIS_PASSWORD: 'redisPassword',
  SB_CLUSTER: 'cluster',
  SB_CLUSTER_SECRET: 'clusterSecret',
  SB_ENABLE_OPEN_SIGNUP: 'enableOpenSignup',
  SB_ALLOWED_ORIGINS: 'allowedOrigins',
  SB_SESSION_LENGTH_MS: 'sessionLengthMs',
  SB_RATE_LIMIT_PER_USER: 'rateLimitPerUser',
  SB_RATE_LIMIT_PER_IP: 'rateLimitPerIp',
  SB_MAX_BODY_BYTES: 'maxBodyBytes',
  SB_WS_MAX_FRAME_BYTES: 'wsMaxFrameBytes',
  SB_WS_ACTIONS_PER_SECOND: 'wsActionsPerSecond',
  SB_WS_SESSION_CHECK_MS: 'wsSessionCheckMs',
  SB_WS_AUTH_TIMEOUT_MS: 'wsAuthTimeoutMs',
  SB_DRAIN_MS: 'drainMs',
  SB_LEADER_TTL_MS: 'leaderTtlMs',
  SB_LOG_LEVEL: 'logLevel',
  SB_METRICS_ENABLED: 'metricsEnabled',
  SB_WEB_DIR: 'webDir',
} as const satisfies Record<string, keyof NodeConfig>;
