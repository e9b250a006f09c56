import { z } from 'zod';

/**
 * A cluster profile: what the console connects to. Operators keep these files (YAML or JSON) in
 * version control, so they never hold secrets: passphrases and passwords are named, and their
 * values come from the OS keychain (Electron safeStorage) or environment variables (web mode).
 */

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "-" or "_"');
const nodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lowercase letters, digits or dashes');
const secretRef = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must name a secret (letters, digits, "_", ".", "-"), not contain it');

/** Redis: one URL, or a Sentinel set with the master's name. */
export const profileRedisSchema = z.union([
  z.object({ url: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'), passwordSecret: secretRef.optional() }).strict(),
  z
    .object({
      sentinels: z.array(z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict()).min(1),
      masterName: z.string().min(1),
      passwordSecret: secretRef.optional(),
    })
    .strict(),
]);

/** A host that runs nodes, reached over SSH (or locally with `local: true`). */
export const profileHostSchema = z
  .object({
    name,
    /** Local process control instead of SSH (the demo cluster on this machine). */
    local: z.boolean().default(false),
    /** Address or an alias from ~/.ssh/config. */
    address: z.string().min(1).max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, 'must be a user name').optional(),
    /** Private key file; omit to use the SSH agent. */
    keyFile: z.string().min(1).optional(),
    /** Use the SSH agent ($SSH_AUTH_SOCK). */
    agent: z.boolean().optional(),
    /** Name of the secret holding the key's passphrase. */
    passphraseSecret: secretRef.optional(),
    /** Pinned host key, `SHA256:<base64>` as ssh-keygen -lf prints it. */
    hostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be SHA256:<base64> as ssh-keygen -lf prints').optional(),
    /** A known_hosts file to verify against instead of a pinned fingerprint. */
    knownHostsFile: z.string().min(1).optional(),
    /** How nodectl is run on the host, and its host config. */
    nodectl: z.object({ command: z.string().min(1).default('nodectl'), config: z.string().min(1).optional() }).strict().default({ command: 'nodectl' }),
    /** Node ids that run on this host. */
    nodes: z.array(nodeId).default([]),
  })
  .strict()
  .superRefine((host, ctx) => {
    if (!host.local && !host.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'is required unless local is true' });
  });

/** A command as an argv array (never a shell string): the program, then its arguments. */
const argv = z
  .array(z.string().max(4096))
  .min(1)
  .max(64)
  .refine((words) => words[0] !== '', 'the program (first word) must not be empty');

/**
 * How drills control a service (Redis, Postgres): the profile host it runs on (its SSH or local
 * transport runs the commands) and the argv of each command. `restart`, or `stop` and `start`.
 */
export const serviceControlSchema = z
  .object({
    /** The profile host the commands run on. */
    host: name,
    stop: argv.optional(),
    start: argv.optional(),
    restart: argv.optional(),
    /** How long one command may take, ms. @default 60000 */
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  })
  .strict()
  .superRefine((control, ctx) => {
    if (!control.restart && !(control.stop && control.start)) ctx.addIssue({ code: 'custom', path: ['restart'], message: 'is required unless both stop and start are given' });
  });

export const clusterProfileSchema = z
  .object({
    name,
    /** The cluster name the nodes use (SB_CLUSTER): the Redis key prefix. */
    cluster: name,
    redis: profileRedisSchema,
    postgres: z.object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'), passwordSecret: secretRef.optional() }).strict(),
    /** Where the end-to-end probe and drills reach the nodes' API (a balancer, or one node). */
    apiUrl: z.string().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
    hosts: z.array(profileHostSchema).default([]),
    /** Service control for drills (restart Redis, restart Postgres). */
    services: z.object({ redis: serviceControlSchema.optional(), postgres: serviceControlSchema.optional() }).strict().optional(),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const seen = new Set<string>();
    profile.hosts.forEach((host, i) => {
      if (seen.has(host.name)) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'name'], message: `duplicates host ${host.name}` });
      seen.add(host.name);
    });
    for (const service of ['redis', 'postgres'] as const) {
      const control = profile.services?.[service];
      if (control && !seen.has(control.host)) ctx.addIssue({ code: 'custom', path: ['services', service, 'host'], message: `names no host of this profile (hosts: ${[...seen].join(', ') || 'none'})` });
    }
  });

/** A validated cluster profile. */
export type ClusterProfile = z.infer<typeof clusterProfileSchema>;
/** One host of a profile. */
export type ProfileHost = z.infer<typeof profileHostSchema>;
/** How drills control one service. */
export type ServiceControl = z.infer<typeof serviceControlSchema>;
