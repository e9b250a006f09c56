import { z } from 'zod';

/** The lifecycle states a node reports in the registry, in order. */
export const NODE_STATES = ['starting', 'active', 'draining'] as const;

/** Where a node is in its lifecycle: `starting` (migrating, not yet listening), `active`, `draining`. */
export type NodeState = (typeof NODE_STATES)[number];

const count = z.number().int().nonnegative();
const epochMs = z.number().int().nonnegative();

/**
 * One node's registry entry, heartbeated as JSON under `node:{id}` with a TTL a few beats long.
 * Unknown fields are stripped rather than refused, so a newer node's entry still reads during a
 * rolling upgrade.
 * @example registryEntrySchema.safeParse(JSON.parse(await redis.get(keys.node('n1'))))
 */
export const registryEntrySchema = z.object({
  /** The node id (config `nodeId`). */
  id: z.string().min(1).max(128),
  /** The machine's host name. */
  host: z.string().min(1).max(255),
  /** Where the node's HTTP API answers, `http://ip:port` (IPv6 in brackets). */
  httpAddress: z.string().regex(/^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be http://host:port'),
  pid: z.number().int().positive(),
  /** The node's software version. */
  version: z.string().min(1).max(64),
  /** Name of the latest applied migration. */
  schemaVersion: z.string().max(255),
  state: z.enum(NODE_STATES),
  /** When the node process started, epoch ms. */
  startedAt: epochMs,
  /** When this entry was written, epoch ms (the node's clock). */
  lastBeat: epochMs,
  /** Open WebSocket connections on the node. */
  connections: count,
  /** Users with at least one socket on the node. */
  usersOnline: count,
  /** Short hash of the node's effective configuration minus per-node fields; equal on identically configured nodes. */
  configHash: z.string().regex(/^[0-9a-f]{16}$/),
});

/** One node's registry entry. */
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

/**
 * One registry value as read from Redis: the entry, or undefined when it is not JSON or fails
 * the schema (readers skip such values rather than fail the whole listing).
 * @example const entry = parseRegistryEntry(await redis.get(keys.node('n1')) ?? '');
 */
export function parseRegistryEntry(raw: string): RegistryEntry | undefined {
  try {
    const parsed = registryEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
