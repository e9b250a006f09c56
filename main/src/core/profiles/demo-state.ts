import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues, ProfileError } from './profile-error.js';

/**
 * What a running `npm run demo` started, as it writes it to `.run/demo/profile.json`: the
 * services' real addresses (private Redis or Postgres on free ports, the balancer), the cluster
 * name and the nodectl host config. The `local` profile reads it so the console, `switchboard
 * status` and drills reach exactly the demo's cluster. The demo removes the file when it stops; a
 * file whose demo process is gone (it was killed) is ignored.
 */
export const demoStateSchema = z
  .object({
    version: z.literal(1),
    /** The demo's process id: the file is stale once it is gone. */
    pid: z.number().int().positive(),
    /** When the demo finished starting, epoch ms. */
    startedAt: z.number().int().nonnegative(),
    cluster: z.string().min(1),
    redisUrl: z.string().min(1),
    databaseUrl: z.string().min(1),
    /** The balancer in front of the nodes (or the first node when there is none). */
    apiUrl: z.string().min(1),
    /** The nodectl host config the demo's nodes run under. */
    nodectlConfig: z.string().min(1),
    /** The node ids in that config. */
    nodes: z.array(z.string()).default([]),
  })
  .strict();

/** The demo's description of itself. */
export type DemoState = z.infer<typeof demoStateSchema>;

/** Whether a process with this pid exists (EPERM: it exists, someone else's). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads the demo's state file: undefined when there is none or when the demo that wrote it no
 * longer runs; a {@link ProfileError} (naming the file and field) when it is malformed.
 * @example readDemoState('/repo/.run/demo/profile.json')?.apiUrl // 'http://127.0.0.1:8080'
 */
export function readDemoState(file: string, isRunning: (pid: number) => boolean = processExists): DemoState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProfileError('local', [`the demo's ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new ProfileError('local', [`the demo's ${file} is not JSON (${(err as Error).message})`]);
  }
  const result = demoStateSchema.safeParse(input);
  if (!result.success) throw new ProfileError('local', describeIssues(result.error.issues, input).map((issue) => `${file}: ${issue}`));
  return isRunning(result.data.pid) ? result.data : undefined;
}
