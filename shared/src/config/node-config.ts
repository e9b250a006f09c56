import { z } from 'zod';

/**
 * The cluster node's configuration: one schema, defaults here, parsed once at start into a
 * frozen object. cluster-node/src/config/load-config.ts maps SB_* environment variables and an
 * optional JSON file onto it; README.md's configuration reference lists the same fields.
 */

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8065')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 0 && port <= 65535;
  }, 'port must be 0-65535');

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

const redisUrl = z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL');

const sentinelAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must list host:port addresses, e.g. 10.0.0.1:26379,10.0.0.2:26379')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'must list ports 1-65535');

export const nodeConfigSchema = z
  .object({
    nodeId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit')
      .optional()
      .describe("This node's id in the cluster: lowercase letters, digits and dashes; defaults to the host name and port."),
    listen: hostPort.default('127.0.0.1:8065')
      .describe('Where HTTP and WebSocket listen.'),
    databaseUrl: postgresUrl
      .describe('Postgres connection URL (required).'),
    databasePoolSize: z.coerce.number().int().min(1).max(200).default(10)
      .describe('Largest Postgres pool this node opens.'),
    redisUrl: redisUrl.optional()
      .describe('Redis URL; without it (and without redisSentinels) the node runs standalone and delivers events in-process.'),
    redisSentinels: z.array(sentinelAddress).min(1, 'must list at least one host:port').optional()
      .describe('Redis through Sentinel instead of redisUrl: comma-separated host:port of the Sentinels; the node follows failovers.'),
    redisSentinelMaster: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the master name the Sentinels monitor (letters, digits, ".", "_", "-")').optional()
      .describe('The master name the Sentinels monitor (required with redisSentinels).'),
    redisPassword: z.string().min(1).optional()
      .describe('Password of the Redis primary and replicas behind Sentinel (optional; with redisUrl put it in the URL).'),
    cluster: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "-" or "_"')
      .default('switchboard')
      .describe('Cluster name: prefixes every Redis key, so clusters can share one Redis.'),
    clusterSecret: z.string().min(16, 'must be at least 16 characters').optional()
      .describe('HMAC key for cluster envelopes; required with redisUrl or redisSentinels, at least 16 characters.'),
    enableOpenSignup: z.boolean().default(true)
      .describe('Whether anyone may sign up; the first user may always sign up and becomes system admin.'),
    allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'must be an origin such as https://chat.example.com')).default([])
      .describe("Browser origins allowed to open the WebSocket, besides the node's own origin."),
    sessionLengthMs: z.coerce.number().int().min(60_000).default(30 * 24 * 3600 * 1000)
      .describe('How long a session lives, in milliseconds.'),
    rateLimitPerUser: z.coerce.number().int().min(1).default(100)
      .describe('Requests per second allowed per signed-in user (burst of the same size).'),
    rateLimitPerIp: z.coerce.number().int().min(1).default(200)
      .describe('Requests per second allowed per client IP address.'),
    maxBodyBytes: z.coerce.number().int().min(1024).default(1_048_576)
      .describe('Largest request body in bytes.'),
    wsMaxFrameBytes: z.coerce.number().int().min(1024).max(16_777_216).default(65_536)
      .describe('Largest WebSocket frame a client may send, in bytes.'),
    wsActionsPerSecond: z.coerce.number().int().min(1).default(20)
      .describe('WebSocket actions per second allowed per connection.'),
    wsSessionCheckMs: z.coerce.number().int().min(100).default(5_000)
      .describe("How often open sockets' sessions are re-checked, in milliseconds."),
    wsAuthTimeoutMs: z.coerce.number().int().min(100).default(10_000)
      .describe('How long an unauthenticated socket may wait for authentication_challenge.'),
    drainMs: z.coerce.number().int().min(0).default(10_000)
      .describe('Drain window for SIGTERM: sockets are closed in batches over this time.'),
    leaderTtlMs: z.coerce.number().int().min(500).default(3_000)
      .describe('Leader lease TTL in milliseconds (clustered mode).'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
      .describe('pino log level.'),
    metricsEnabled: z.boolean().default(true)
      .describe('Serve Prometheus metrics at /metrics.'),
    webDir: z.string().min(1).optional()
      .describe("Folder of the built web chat client served at /; defaults to dist/web beside the node's code (npm run build)."),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.redisUrl && config.redisSentinels) {
      ctx.addIssue({ code: 'custom', path: ['redisSentinels'], message: 'must not be set together with redisUrl (SB_REDIS_URL): give one URL or one Sentinel set' });
    }
    if (config.redisSentinels && !config.redisSentinelMaster) {
      ctx.addIssue({ code: 'custom', path: ['redisSentinelMaster'], message: 'is required when redisSentinels (SB_REDIS_SENTINELS) is set' });
    }
    if (!config.redisSentinels && config.redisSentinelMaster) {
      ctx.addIssue({ code: 'custom', path: ['redisSentinelMaster'], message: 'needs redisSentinels (SB_REDIS_SENTINELS)' });
    }
    if (config.redisPassword && !config.redisSentinels) {
      ctx.addIssue({ code: 'custom', path: ['redisPassword'], message: 'is only for redisSentinels (SB_REDIS_SENTINELS); with redisUrl put the password in the URL' });
    }
    if ((config.redisUrl || config.redisSentinels) && !config.clusterSecret) {
      ctx.addIssue({ code: 'custom', path: ['clusterSecret'], message: `is required when ${config.redisUrl ? 'redisUrl (SB_REDIS_URL)' : 'redisSentinels (SB_REDIS_SENTINELS)'} is set` });
    }
  });

/** Where a node finds Redis: one URL, or a Sentinel set with the master's name. */
export type NodeRedisTarget =
  | { url: string }
  | { sentinels: Array<{ host: string; port: number }>; masterName: string; password?: string };

/**
 * The Redis a config points at, or undefined for a standalone node.
 * @example nodeRedisTarget({ redisSentinels: ['127.0.0.1:26379'], redisSentinelMaster: 'sb' }) // { sentinels: [{ host: '127.0.0.1', port: 26379 }], masterName: 'sb' }
 */
export function nodeRedisTarget(config: Pick<NodeConfig, 'redisUrl' | 'redisSentinels' | 'redisSentinelMaster' | 'redisPassword'>): NodeRedisTarget | undefined {
  if (config.redisUrl) return { url: config.redisUrl };
  if (!config.redisSentinels || !config.redisSentinelMaster) return undefined;
  const sentinels = config.redisSentinels.map((address) => {
    const at = address.lastIndexOf(':');
    return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
  });
  return { sentinels, masterName: config.redisSentinelMaster, ...(config.redisPassword ? { password: config.redisPassword } : {}) };
}

/** The node's effective, validated configuration. */
export type NodeConfig = z.infer<typeof nodeConfigSchema>;
/** What a config file or the environment may provide before defaults apply. */
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;
