import { profileHostSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { NodectlError } from './errors.js';
import { nodectlActionSchema, nodectlArgv, nodectlListSchema, readNodectlResult } from './nodectl-client.js';

const host = profileHostSchema.parse({ name: 'web1', address: 'h', nodectl: { command: `'/opt/my node/node' /opt/sb/nodectl.js`, config: '/etc/sb/nodectl.json' } });
const node = { id: 'n1', pid: 42, running: true, listen: '127.0.0.1:8065', state: 'active' };

describe('nodectlArgv', () => {
  it('splits the command into words and appends the request, --json and --config', () => {
    expect(nodectlArgv(host, { command: 'start', id: 'n1' })).toEqual(['/opt/my node/node', '/opt/sb/nodectl.js', 'start', 'n1', '--json', '--config', '/etc/sb/nodectl.json']);
    expect(nodectlArgv(host, { command: 'logs', id: 'n1', lines: 5 })).toEqual(['/opt/my node/node', '/opt/sb/nodectl.js', 'logs', 'n1', '--lines', '5', '--json', '--config', '/etc/sb/nodectl.json']);
    const plain = profileHostSchema.parse({ name: 'web2', address: 'h' });
    expect(nodectlArgv(plain, { command: 'list' })).toEqual(['nodectl', 'list', '--json']);
  });

  it('refuses a command that cannot be split', () => {
    const bad = profileHostSchema.parse({ name: 'web3', address: 'h', nodectl: { command: "'unterminated" } });
    expect(() => nodectlArgv(bad, { command: 'list' })).toThrow(/web3: nodectl.command cannot be split/);
  });
});

describe('readNodectlResult', () => {
  const run = (code: number, stdout: unknown, stderr = '') => ({ code, stdout: typeof stdout === 'string' ? stdout : `${JSON.stringify(stdout)}\n`, stderr });

  it('parses a successful answer with its schema', () => {
    expect(readNodectlResult(nodectlListSchema, run(0, { ok: true, nodes: [node] }), { host: 'web1' }).nodes).toEqual([node]);
    expect(readNodectlResult(nodectlActionSchema, run(0, { ok: true, action: 'start', node }), { host: 'web1' }).node.pid).toBe(42);
  });

  it('calls output that does not fit hosts.bad_output', () => {
    expect(() => readNodectlResult(nodectlListSchema, run(0, { ok: true, nodes: [{ ...node, state: 'weird' }] }), { host: 'web1' })).toThrow(
      expect.objectContaining({ id: 'hosts.bad_output' }),
    );
    expect(() => readNodectlResult(nodectlListSchema, run(0, 'not json'), { host: 'web1' })).toThrow(/not json/);
  });

  it('maps exit codes 1-4 to typed nodectl errors with nodectl\'s message', () => {
    const cases: Array<[number, string]> = [
      [1, 'nodectl.action_failed'],
      [2, 'nodectl.usage'],
      [3, 'nodectl.unknown_node'],
      [4, 'nodectl.conflict'],
    ];
    for (const [code, id] of cases) {
      let thrown: unknown;
      try {
        readNodectlResult(nodectlActionSchema, run(code, { ok: false, error: { id, message: `problem ${code}` } }), { host: 'web1', node: 'n1' });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(NodectlError);
      expect(thrown).toMatchObject({ id, exitCode: code, host: 'web1', node: 'n1', message: `host web1: problem ${code}` });
    }
  });

  it('keeps nodectl.config_invalid, and falls back to the exit code for other ids or no JSON', () => {
    expect(() => readNodectlResult(nodectlListSchema, run(2, { ok: false, error: { id: 'nodectl.config_invalid', message: 'bad' } }), { host: 'w' })).toThrow(
      expect.objectContaining({ id: 'nodectl.config_invalid' }),
    );
    expect(() => readNodectlResult(nodectlListSchema, run(1, { ok: false, error: { id: 'internal.error', message: 'boom' } }), { host: 'w' })).toThrow(
      expect.objectContaining({ id: 'nodectl.action_failed', message: 'host w: boom' }),
    );
    expect(() => readNodectlResult(nodectlListSchema, run(4, '', 'nodectl: n1 is already running\n'), { host: 'w' })).toThrow(
      expect.objectContaining({ id: 'nodectl.conflict', message: 'host w: n1 is already running' }),
    );
  });

  it('reports other exit codes as hosts.command_failed with stderr', () => {
    expect(() => readNodectlResult(nodectlListSchema, run(127, '', 'sh: 1: nodectl: not found\n'), { host: 'w' })).toThrow(
      expect.objectContaining({ id: 'hosts.command_failed', message: 'host w: nodectl exited with code 127: sh: 1: nodectl: not found' }),
    );
  });
});
