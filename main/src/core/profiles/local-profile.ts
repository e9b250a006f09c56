import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clusterProfileSchema, type ClusterProfile } from '@switchboard/shared';
import { quoteCommand } from '../hosts/shell-words.js';
import { readDemoState, type DemoState } from './demo-state.js';
import { describeIssues, ProfileError } from './profile-error.js';

/** The name that means the built-in profile wherever a profile is asked for. */
export const LOCAL_PROFILE_NAME = 'local';

/** The repository root: this file sits at main/{src,dist}/core/profiles/, four levels down. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The nodectl bin of this checkout, run by the local profile with this Node (process.execPath). */
export const LOCAL_NODECTL_SCRIPT = join(REPO_ROOT, 'cluster-node', 'bin', 'nodectl.js');

/** What the local profile uses when neither the environment nor a running demo says otherwise. */
export const LOCAL_DEFAULTS = {
  /** SB_CLUSTER overrides: the demo cluster's name (SB_CLUSTER of its nodes). @default 'switchboard' */
  cluster: 'switchboard',
  /** SB_REDIS_URL overrides. @default 'redis://127.0.0.1:6379' */
  redisUrl: 'redis://127.0.0.1:6379',
  /** SB_DATABASE_URL overrides. @default 'postgres://postgres@127.0.0.1:5432/switchboard_demo' */
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/switchboard_demo',
  /** SB_API_URL overrides. @default 'http://127.0.0.1:8065' */
  apiUrl: 'http://127.0.0.1:8065',
  /** SB_NODECTL_CONFIG overrides. @default '<repo>/.run/demo/nodectl.json' */
  nodectlConfig: join(REPO_ROOT, '.run', 'demo', 'nodectl.json'),
  /** SB_DEMO_PROFILE overrides: what a running `npm run demo` started (see demo-state.ts). @default '<repo>/.run/demo/profile.json' */
  demoProfile: join(REPO_ROOT, '.run', 'demo', 'profile.json'),
} as const;

/**
 * The built-in `local` profile: the demo cluster on this machine, controlled with local
 * processes (no SSH). Each field comes from, in order: its SB_* variable (SB_CLUSTER,
 * SB_REDIS_URL, SB_DATABASE_URL, SB_API_URL, SB_NODECTL_CONFIG); the running demo's
 * `.run/demo/profile.json` (`demo`, read by default from SB_DEMO_PROFILE or
 * {@link LOCAL_DEFAULTS}.demoProfile); {@link LOCAL_DEFAULTS}. A value that is not valid (say, a
 * Redis URL without redis://) is a ProfileError.
 * @example localProfile(process.env).hosts[0].nodectl.command // `'/usr/bin/node' '/repo/cluster-node/bin/nodectl.js'`
 */
export function localProfile(env: Readonly<Record<string, string | undefined>>, demo: DemoState | undefined = readDemoState(env.SB_DEMO_PROFILE || LOCAL_DEFAULTS.demoProfile)): ClusterProfile {
  const input = {
    name: LOCAL_PROFILE_NAME,
    cluster: env.SB_CLUSTER || demo?.cluster || LOCAL_DEFAULTS.cluster,
    redis: { url: env.SB_REDIS_URL || demo?.redisUrl || LOCAL_DEFAULTS.redisUrl },
    postgres: { url: env.SB_DATABASE_URL || demo?.databaseUrl || LOCAL_DEFAULTS.databaseUrl },
    apiUrl: env.SB_API_URL || demo?.apiUrl || LOCAL_DEFAULTS.apiUrl,
    hosts: [
      {
        name: 'localhost',
        local: true,
        nodectl: { command: quoteCommand([process.execPath, LOCAL_NODECTL_SCRIPT]), config: env.SB_NODECTL_CONFIG || demo?.nodectlConfig || LOCAL_DEFAULTS.nodectlConfig },
        ...(demo && demo.nodes.length > 0 ? { nodes: demo.nodes } : {}),
      },
    ],
  };
  const result = clusterProfileSchema.safeParse(input);
  if (!result.success) throw new ProfileError(LOCAL_PROFILE_NAME, describeIssues(result.error.issues, input));
  return result.data;
}
