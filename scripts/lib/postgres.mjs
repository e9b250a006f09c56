// Finds or starts the Postgres the demo uses, in this order: SB_DATABASE_URL; a local server on
// 127.0.0.1:5432 (SB_DEMO_PG_PORT) that lets user postgres in without a password; a private
// cluster in .run/demo/pg started from Debian's binaries (/usr/lib/postgresql/*/bin, or
// SB_DEMO_PG_ROOT); else the install command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './net.mjs';

/** The database the demo creates on a server it did not get a URL for. */
export const DEMO_DATABASE = 'switchboard_demo';

/** An error whose message is the whole story for the user (no stack trace needed). */
export class DemoError extends Error {}

/** Connects, runs `fn(client)`, and always disconnects. */
async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The URL with any password replaced by ***, for printing. */
export function redactUrl(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Creates the demo database on the server at serverUrl unless it exists; returns its URL. */
async function ensureDemoDatabase(serverUrl) {
  await withClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DEMO_DATABASE}`);
  });
  return withDatabase(serverUrl, DEMO_DATABASE);
}

/** Why connecting failed, in a few words. */
function connectFailure(err) {
  if (err.code === 'ECONNREFUSED') return 'nothing listens there';
  if (err.code === '28P01' || err.code === '28000' || /password/i.test(err.message)) return 'it wants a password for user postgres';
  return err.message;
}

/** The newest Debian Postgres bin directory holding initdb and postgres, or undefined. */
export function findPostgresBin(root = process.env.SB_DEMO_PG_ROOT ?? '/usr/lib/postgresql', version) {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name) && (version === undefined || name === version))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.find((name) => existsSync(join(root, name, 'bin', 'initdb')) && existsSync(join(root, name, 'bin', 'postgres')));
  return found === undefined ? undefined : { version: found, bin: join(root, found, 'bin') };
}

/** uid/gid to run Postgres as: ours, or the postgres user's when we are root (Postgres refuses root). */
function postgresOwner() {
  if (process.getuid() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new DemoError('running as root, but there is no "postgres" user to run Postgres as; install it with: apt-get install -y postgresql');
  }
}

/** Whether `owner` can write to dir (checked by running `test -w` as that user). */
function ownerCanWrite(dir, owner) {
  return spawnSync('test', ['-w', dir], { uid: owner.uid, gid: owner.gid }).status === 0;
}

/** The private cluster's data directory, created and owned by the Postgres owner. */
function prepareDataDir(root, owner) {
  const candidates = [join(root, '.run', 'demo', 'pg'), join('/tmp', `switchboard-demo-pg-${process.getuid()}`)];
  for (const dir of candidates) {
    mkdirSync(dirname(dir), { recursive: true }); // parents stay traversable for the postgres user
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
    if (owner.uid === undefined || ownerCanWrite(dir, owner)) return dir;
  }
  throw new DemoError(`the postgres user cannot reach ${candidates.join(' or ')}; set SB_DATABASE_URL instead`);
}

/** Runs initdb into dataDir unless it already holds a cluster; returns the bin dir matching it. */
function initCluster(dataDir, owner, found, progress) {
  const versionFile = join(dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const version = readFileSync(versionFile, 'utf8').trim();
    const matching = findPostgresBin(undefined, version);
    if (!matching) throw new DemoError(`${dataDir} holds a Postgres ${version} cluster but only ${found.version} is installed; delete ${dataDir} to start afresh`);
    return matching;
  }
  progress(`creating a private Postgres ${found.version} cluster in ${dataDir}`);
  const result = spawnSync(join(found.bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale'], {
    cwd: dataDir,
    uid: owner.uid,
    gid: owner.gid,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new DemoError(`initdb failed:\n${result.stderr || result.stdout || result.error?.message}`);
  return found;
}

/** Refuses to start over a Postgres a previous demo left running in the same directory. */
function refuseLeftover(dataDir) {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale pid file: Postgres cleans it up itself
  }
  throw new DemoError(`a Postgres from an earlier demo still runs in ${dataDir} (pid ${pid}); stop it with: kill -INT ${pid}`);
}

/** Starts a private cluster under the supervisor and waits until it accepts connections. */
async function startPrivateCluster({ root, supervisor, progress }, found) {
  const owner = postgresOwner();
  const dataDir = prepareDataDir(root, owner);
  const bin = initCluster(dataDir, owner, found, progress);
  refuseLeftover(dataDir);
  const port = await freePort(54329);
  progress(`starting Postgres ${bin.version} on 127.0.0.1:${port}`);
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = supervisor.start('postgres', join(bin.bin, 'postgres'), args, {
    cwd: dataDir,
    uid: owner.uid,
    gid: owner.gid,
    logFile: join(root, '.run', 'demo', 'logs', 'postgres.log'),
    stopSignal: 'SIGINT', // fast shutdown: roll back open transactions, then stop
    stopTimeoutMs: 20_000,
  });
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('Postgres', () => withClient(serverUrl, () => true), {
    timeoutMs: 60_000,
    abort: () => child.exited && `it exited; see ${child.logFile}:\n${child.tail.slice(-12).join('\n')}`,
  });
  return { url: await ensureDemoDatabase(serverUrl), description: `private cluster in ${dataDir}, port ${port}` };
}

/**
 * The demo's database URL, starting a private Postgres under `supervisor` if it must.
 * @param {{root: string, supervisor: import('./children.mjs').Supervisor, progress: (line: string) => void}} ctx
 * @returns {Promise<{url: string, description: string}>}
 */
export async function resolveDatabase(ctx) {
  if (process.env.SB_DATABASE_URL) {
    const url = process.env.SB_DATABASE_URL;
    await withClient(url, () => true).catch((err) => {
      throw new DemoError(`SB_DATABASE_URL (${redactUrl(url)}) does not answer: ${connectFailure(err)}`);
    });
    return { url, description: 'from SB_DATABASE_URL' };
  }
  const port = Number(process.env.SB_DEMO_PG_PORT ?? 5432);
  const localUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await withClient(localUrl, () => true);
    return { url: await ensureDemoDatabase(localUrl), description: `local server on 127.0.0.1:${port}` };
  } catch (err) {
    if (err instanceof DemoError) throw err;
    ctx.progress(`no usable Postgres on 127.0.0.1:${port} (${connectFailure(err)})`);
  }
  const found = findPostgresBin();
  if (!found) {
    throw new DemoError('no Postgres found: set SB_DATABASE_URL, or install one with:\n  apt-get install -y postgresql\nand run npm run demo again');
  }
  return startPrivateCluster(ctx, found);
}
