import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterProfile } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tests borrow the node's test support (a fresh database, free ports); the product code never imports cluster-node.
import { createTestDatabase } from '../../cluster-node/test/support/database.js';
import { freePort } from '../../cluster-node/test/support/process.js';
import { AuditLog } from '../src/core/audit/audit-log.js';
import { NodectlError } from '../src/core/hosts/errors.js';
import { HostService } from '../src/core/hosts/host-service.js';
import { LocalTransport } from '../src/core/hosts/local-transport.js';
import { createTransportFactory } from '../src/core/hosts/transport-factory.js';
import type { HostTransport, TransportFactory } from '../src/core/hosts/transport.js';
import { loadProfile } from '../src/core/profiles/load-profile.js';
import { EnvSecretStore } from '../src/core/secrets/secret-store.js';

let dir: string;
let runDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let profile: ClusterProfile;
let service: HostService;
let audit: AuditLog;
const listen: Record<string, string> = {};
const made: string[] = [];
const commands: Array<readonly string[]> = [];

function spying(factory: TransportFactory): TransportFactory {
  return (host, context) => {
    const transport = factory(host, context);
    made.push(host.name);
    return {
      exec: (argv, options) => {
        commands.push(argv);
        return transport.exec(argv, options);
      },
      close: () => transport.close(),
    } satisfies HostTransport;
  };
}

async function ping(id: string): Promise<number | 'down'> {
  try {
    return (await fetch(`http://${listen[id]}/api/v4/system/ping`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 'down';
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'hosts-local-'));
  runDir = join(dir, 'run');
  for (const id of ['n1', 'n2']) listen[id] = `127.0.0.1:${await freePort()}`;
  const config = join(dir, 'nodectl.json');
  writeFileSync(
    config,
    JSON.stringify({
      runDir,
      env: { SB_DATABASE_URL: database.url, SB_DRAIN_MS: '300' },
      nodes: { n1: { env: { SB_LISTEN: listen.n1 } }, n2: { env: { SB_LISTEN: listen.n2 } } },
    }),
  );
  // The built-in `local` profile, pointed at this test's nodectl config and database.
  profile = await loadProfile('local', { SB_NODECTL_CONFIG: config, SB_DATABASE_URL: database.url, SB_DEMO_PROFILE: join(dir, 'no-demo.json') });
  audit = AuditLog.inDataDir(join(dir, 'console'));
  service = new HostService({
    profile,
    secrets: new EnvSecretStore({}),
    audit,
    dataDir: join(dir, 'console'),
    transports: spying(createTransportFactory({ env: { PATH: process.env.PATH, HOME: dir, SB_SECRET_X: 'never passed on' } })),
  });
});

afterAll(async () => {
  await service?.close();
  if (runDir && existsSync(runDir)) {
    for (const file of readdirSync(runDir).filter((name) => name.endsWith('.pid'))) {
      try {
        process.kill((JSON.parse(readFileSync(join(runDir, file), 'utf8')) as { pid: number }).pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('host control with local processes (the local profile)', () => {
  it('refuses `n1; rm -rf /` before anything runs', async () => {
    const marker = join(dir, 'pwned');
    await expect(service.action('localhost', `n1; touch ${marker}`, 'start')).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    await expect(service.action('localhost', 'N1', 'kill')).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    await expect(service.logs('localhost', 'n1', 0)).rejects.toMatchObject({ id: 'hosts.invalid_argument' });
    expect(made).toEqual([]);
    expect(commands).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('starts n1 and n2 through the local profile\'s nodectl', async () => {
    const [n1, n2] = await Promise.all([service.action('localhost', 'n1', 'start'), service.action('localhost', 'n2', 'start')]);
    expect(n1).toMatchObject({ host: 'localhost', id: 'n1', state: 'active', running: true });
    expect(n2).toMatchObject({ host: 'localhost', id: 'n2', state: 'active', running: true });
    expect(await ping('n1')).toBe(200);
    expect(made).toEqual(['localhost']);
    expect(commands[0]!.slice(0, 2)).toEqual([process.execPath, expect.stringMatching(/cluster-node\/bin\/nodectl\.js$/)]);
    const { nodes, failures } = await service.listNodes();
    expect(failures).toEqual([]);
    expect(nodes.map((node) => `${node.host}/${node.id}/${node.state}`)).toEqual(['localhost/n1/active', 'localhost/n2/active']);
  }, 60_000);

  it('drains n1 and kills n2, and refuses to drain a stopped node (exit 4)', async () => {
    expect(await service.action('localhost', 'n1', 'drain')).toMatchObject({ id: 'n1', state: 'stopped' });
    expect(await ping('n1')).toBe('down');
    expect(await service.action('localhost', 'n2', 'kill')).toMatchObject({ id: 'n2', state: 'stopped' });
    expect(await ping('n2')).toBe('down');
    const err = await service.action('localhost', 'n1', 'drain').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodectlError);
    expect(err).toMatchObject({ id: 'nodectl.conflict', exitCode: 4, message: 'host localhost: n1 is not running' });
    expect((await service.listNodes()).nodes.every((node) => node.state === 'stopped')).toBe(true);
    expect(await service.logs('localhost', 'n1', 20)).toEqual(expect.arrayContaining([expect.stringContaining('stopping')]));
  }, 60_000);

  it('wrote the actions to the audit log', async () => {
    const lines = (await audit.read()).entries.map((e) => `${e.profile} ${e.host} ${e.node} ${e.action} ${e.result}`);
    expect(lines.slice(0, 4)).toEqual(['local localhost n1 logs ok', 'local localhost n1 drain failed', 'local localhost n2 kill ok', 'local localhost n1 drain ok']);
    expect(lines).toContain('local localhost N1 kill failed');
  });
});

describe('LocalTransport', () => {
  const transport = new LocalTransport({ env: { PATH: process.env.PATH, SB_SECRET_TOKEN: 'hidden', SB_OTHER: 'kept' } });
  afterAll(() => transport.close());

  it('passes argv without a shell and keeps SB_SECRET_* out of the child', async () => {
    const marker = join(dir, 'not-created');
    const run = await transport.exec([process.execPath, '-e', 'process.stdout.write(JSON.stringify([process.argv[1], process.env.SB_SECRET_TOKEN ?? null, process.env.SB_OTHER]))', '--', `x; touch ${marker}`]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([`x; touch ${marker}`, null, 'kept']);
    expect(existsSync(marker)).toBe(false);
  });

  it('reports exit codes, a missing command as 127, and kills a command past its timeout', async () => {
    expect(await transport.exec([process.execPath, '-e', 'process.stderr.write("bad"); process.exit(3)'])).toEqual({ code: 3, stdout: '', stderr: 'bad' });
    expect((await transport.exec(['/nonexistent/nodectl', 'list'])).code).toBe(127);
    const started = Date.now();
    await expect(transport.exec([process.execPath, '-e', 'setTimeout(() => {}, 10000)'], { timeoutMs: 300 })).rejects.toMatchObject({ id: 'hosts.command_timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
