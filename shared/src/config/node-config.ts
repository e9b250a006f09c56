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

export const nodeConfigSchema = z
  .object({
    /** This node's id in the cluster: lowercase letters, digits and dashes. @default derived from host and port */
    nodeId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit')
      .optional(),
    /** Where HTTP and WebSocket listen. @default "127.0.0.1:8065" */
    listen: hostPort.default('127.0.0.1:8065'),
    /** Postgres connection URL (required). */
    databaseUrl: postgresUrl,
    /** Largest Postgres pool this node opens. @default 10 */
    databasePoolSize: z.coerce.number().int().min(1).max(200).default(10),
    /** Redis URL; without it the node runs standalone and delivers events in-process. */
    redisUrl: redisUrl.optional(),
    /** Cluster name: prefixes every Redis key, so clusters can share one Redis. @default "switchboard" */
    cluster: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "-" or "_"')
      .default('switchboard'),
    /** HMAC key for cluster envelopes; required with redisUrl, at least 16 characters. */
    clusterSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Whether anyone may sign up; the first user may always sign up and becomes system admin. @default true */
    enableOpenSignup: z.boolean().default(true),
    /** Browser origins allowed to open the WebSocket, besides the node's own origin. @default [] */
    allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'must be an origin such as https://chat.example.com')).default([]),
    /** How long a session lives, in milliseconds. @default 30 days */
    sessionLengthMs: z.coerce.number().int().min(60_000).default(30 * 24 * 3600 * 1000),
    /** Requests per second allowed per signed-in user (burst of the same size). @default 100 */
    rateLimitPerUser: z.coerce.number().int().min(1).default(100),
    /** Requests per second allowed per client IP address. @default 200 */
    rateLimitPerIp: z.coerce.number().int().min(1).default(200),
    /** Largest request body in bytes. @default 1048576 */
    maxBodyBytes: z.coerce.number().int().min(1024).default(1_048_576),
    /** Largest WebSocket frame a client may send, in bytes. @default 65536 */
    wsMaxFrameBytes: z.coerce.number().int().min(1024).max(16_777_216).default(65_536),
    /** WebSocket actions per second allowed per connection. @default 20 */
    wsActionsPerSecond: z.coerce.number().int().min(1).default(20),
    /** How often open sockets' sessions are re-checked, in milliseconds. @default 5000 */
    wsSessionCheckMs: z.coerce.number().int().min(100).default(5_000),
    /** How long an unauthenticated socket may wait for authentication_challenge. @default 10000 */
    wsAuthTimeoutMs: z.coerce.number().int().min(100).default(10_000),
    /** Drain window for SIGTERM: sockets are closed in batches over this time. @default 10000 */
    drainMs: z.coerce.number().int().min(0).default(10_000),
    /** Leader lease TTL in milliseconds (clustered mode). @default 3000 */
    leaderTtlMs: z.coerce.number().int().min(500).default(3_000),
    /** pino log level. @default "info" */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Serve Prometheus metrics at /metrics. @default true */
    metricsEnabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.redisUrl && !config.clusterSecret) {
      ctx.addIssue({ code: 'custom', path: ['clusterSecret'], message: 'is required when redisUrl (SB_REDIS_URL) is set' });
    }
  });

/** The node's effective, validated configuration. */
export type NodeConfig = z.infer<typeof nodeConfigSchema>;
/** What a config file or the environment may provide before defaults apply. */
export type NodeConfigInput = z.input<typeof nodeConfigSchema>;
