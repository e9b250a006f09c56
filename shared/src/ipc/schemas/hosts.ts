import { z } from 'zod';
import { ipcErrorSchema } from '../wire.js';
import { countSchema, epochMsSchema, hostNameSchema, nodeIdSchema, noInputSchema } from './common.js';

/** The `hosts.*` methods and events, and `audit.read`: node control through nodectl on each host. */

/** The actions an operator may take on a node. */
export const NODE_ACTIONS = ['start', 'drain', 'kill', 'restart'] as const;
/** One of {@link NODE_ACTIONS}. */
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** A node as nodectl reports it (`nodectl list --json`, and every action's `node`), with its host. */
export const hostNodeSchema = z.object({
  /** The profile host it runs on. */
  host: z.string().min(1),
  id: z.string().min(1).max(128),
  pid: z.number().int().positive().nullable(),
  running: z.boolean(),
  /** Where the node listens, `host:port`. */
  listen: z.string().max(300),
  state: z.enum(['active', 'draining', 'stopped', 'unreachable']),
});

/** A host whose nodes could not be listed, and why (with the fingerprint to accept on a first contact). */
export const hostFailureSchema = z.object({
  host: z.string().min(1),
  error: z.object({ id: z.string().min(1), message: z.string(), fingerprint: z.string().optional() }),
});

/** `hosts.listNodes` input: none (every host of the profile is asked). */
export const listNodesInputSchema = noInputSchema;

/** `hosts.listNodes` output: every node of every host, and the hosts that did not answer. */
export const listNodesOutputSchema = z.object({ nodes: z.array(hostNodeSchema), failures: z.array(hostFailureSchema) });

/** Input of `hosts.start|drain|kill|restart`. */
export const nodeActionInputSchema = z.object({ host: hostNameSchema, nodeId: nodeIdSchema }).strict();

/** Output of `hosts.start|drain|kill|restart`: the node as nodectl left it. */
export const nodeActionOutputSchema = hostNodeSchema;

/** `hosts.logs` input. */
export const logsInputSchema = z
  .object({ host: hostNameSchema, nodeId: nodeIdSchema, lines: z.number().int().min(1).max(10_000).default(100) })
  .strict();

/** `hosts.logs` output, oldest line first. */
export const logsOutputSchema = z.object({ host: z.string().min(1), nodeId: z.string().min(1), lines: z.array(z.string()) });

/** A host key fingerprint as `ssh-keygen -lf` prints it. */
export const fingerprintSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be SHA256:<base64> as ssh-keygen -lf prints');

/** `hosts.acceptHostKey` input: trust this fingerprint for the host (after a first contact showed it). */
export const acceptHostKeyInputSchema = z.object({ host: hostNameSchema, fingerprint: fingerprintSchema }).strict();

/** `hosts.acceptHostKey` output: the key now trusted. */
export const acceptHostKeyOutputSchema = z.object({ host: z.string().min(1), fingerprint: fingerprintSchema, keyType: z.string().min(1) });

/** `hosts.onDidAct`: an action's progress, `started` then `succeeded` or `failed`, under one `actionId`. */
export const hostActionEventSchema = z.object({
  actionId: z.string().min(1).max(64),
  at: epochMsSchema,
  host: z.string().min(1),
  nodeId: z.string().min(1),
  action: z.enum(NODE_ACTIONS),
  phase: z.enum(['started', 'succeeded', 'failed']),
  /** The node as nodectl left it (`succeeded`). */
  node: hostNodeSchema.optional(),
  /** Why it failed (`failed`). */
  error: ipcErrorSchema.optional(),
});

/** `audit.read` input: the newest entries, or those older than `before` to page back. */
export const auditReadInputSchema = z
  .object({ limit: z.number().int().min(1).max(1_000).default(100), before: epochMsSchema.optional() })
  .strict();

/** One audit entry: which operator action on which node, and how it ended. */
export const auditEntrySchema = z.object({
  /** When the action finished, epoch ms. */
  ts: epochMsSchema,
  profile: z.string().min(1),
  host: z.string(),
  /** Null for host-level actions (accepting a host key). */
  node: z.string().nullable(),
  /** `start`, `drain`, `kill`, `restart`, `logs`, `accept-host-key`. */
  action: z.string().min(1),
  result: z.enum(['ok', 'failed']),
  /** What it did or why it failed; never a secret. */
  detail: z.string().optional(),
  durationMs: z.number().finite().nonnegative(),
});

/** `audit.read` output, newest first; `skipped` counts unreadable lines. */
export const auditReadOutputSchema = z.object({ entries: z.array(auditEntrySchema), skipped: countSchema });

/** A node as nodectl reports it. */
export type HostNode = z.infer<typeof hostNodeSchema>;
/** A `hosts.onDidAct` payload. */
export type HostActionEvent = z.infer<typeof hostActionEventSchema>;
/** One audit entry. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;
