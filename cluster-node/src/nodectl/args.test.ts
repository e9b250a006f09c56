import { isSwitchboardError } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_LINES, MAX_LOG_LINES, parseArgs } from './args.js';
import { EXIT, exitCodeOf } from './errors.js';

/** The message of the usage error `argv` raises (fails if it parses or raises anything else). */
function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (err) {
    expect(isSwitchboardError(err) && err.id).toBe('nodectl.usage');
    expect(exitCodeOf(err)).toBe(EXIT.usage);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('parseArgs', () => {
  it('parses each command with its id and options', () => {
    expect(parseArgs(['list'])).toEqual({ command: 'list', id: undefined, json: false, config: undefined, lines: DEFAULT_LOG_LINES });
    expect(parseArgs(['start', 'n1', '--json', '--config', '/etc/sb/nodectl.json'])).toMatchObject({ command: 'start', id: 'n1', json: true, config: '/etc/sb/nodectl.json' });
    expect(parseArgs(['--json', 'drain', 'node-2'])).toMatchObject({ command: 'drain', id: 'node-2', json: true });
    expect(parseArgs(['kill', '0a'])).toMatchObject({ command: 'kill', id: '0a' });
    expect(parseArgs(['restart', 'n1', '--config=x.json'])).toMatchObject({ command: 'restart', config: 'x.json' });
    expect(parseArgs(['logs', 'n1', '--lines', '5'])).toMatchObject({ command: 'logs', id: 'n1', lines: 5 });
    expect(parseArgs(['logs', 'n1', `--lines=${MAX_LOG_LINES}`])).toMatchObject({ lines: MAX_LOG_LINES });
    expect(parseArgs(['logs', 'n1', '--lines', '1'])).toMatchObject({ lines: 1 });
  });

  it('answers help', () => {
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseArgs(['start', 'n1', '-h'])).toEqual({ command: 'help' });
    expect(parseArgs(['help'])).toEqual({ command: 'help' });
  });

  it('refuses ids that are not node ids, shell syntax first of all', () => {
    for (const id of ['n1; rm -rf /', 'N1', 'n1 n2', '$(reboot)', 'n1`id`', '../etc', 'a'.repeat(64), 'n_1', '']) {
      expect(usageError(['start', id])).toContain('invalid node id');
    }
    expect(usageError(['start', '-n1'])).toContain('unknown option "-n1"');
    expect(parseArgs(['start', 'a'.repeat(63)])).toMatchObject({ id: 'a'.repeat(63) });
  });

  it('refuses unknown commands and flags, missing or extra arguments, repeated flags', () => {
    expect(usageError([])).toContain('missing command');
    expect(usageError(['frob'])).toContain('unknown command "frob"');
    expect(usageError(['list', '--verbose'])).toContain('unknown option "--verbose"');
    expect(usageError(['start'])).toContain('start needs a node id');
    expect(usageError(['list', 'n1'])).toContain('unexpected argument "n1"');
    expect(usageError(['kill', 'n1', 'n2'])).toContain('unexpected argument "n2"');
    expect(usageError(['list', '--json', '--json'])).toContain('--json given twice');
    expect(usageError(['list', '--json=yes'])).toContain('--json takes no value');
    expect(usageError(['list', '--config'])).toContain('--config needs a value');
    expect(usageError(['list', '--config='])).toContain('--config needs a value');
  });

  it('refuses a bad --lines, and --lines outside logs', () => {
    for (const lines of ['0', '-1', '10001', '1.5', 'ten', '1e3', ' 5']) {
      expect(usageError(['logs', 'n1', `--lines=${lines}`])).toContain('--lines must be a whole number from 1 to 10000');
    }
    expect(usageError(['logs', 'n1', '--lines'])).toContain('--lines needs a value');
    expect(usageError(['start', 'n1', '--lines', '5'])).toContain('--lines applies to logs only');
  });
});
