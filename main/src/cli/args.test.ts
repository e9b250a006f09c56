import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './args.js';

describe('parseCommandLine', () => {
  it('reads the two commands', () => {
    expect(parseCommandLine(['status', '--profile', 'local', '--json'])).toEqual({ command: 'status', profile: 'local', json: true });
    expect(parseCommandLine(['status', '--profile=ops.yaml'])).toEqual({ command: 'status', profile: 'ops.yaml', json: false });
    expect(parseCommandLine(['console', '--web', '--profile', 'local', '--port', '8080'])).toEqual({ command: 'console', profile: 'local', port: 8080 });
    expect(parseCommandLine(['console', '--web', '--profile', 'local'])).toEqual({ command: 'console', profile: 'local', port: 0 });
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], /a command is required/],
    [['deploy'], /unknown command/],
    [['status'], /needs --profile/],
    [['status', '--profile'], /argument missing|--profile/],
    [['status', '--profile', 'local', '--colour'], /Unknown option/],
    [['status', '--profile', 'local', 'extra'], /unexpected argument/],
    [['status', '--profile', 'local', '--port', '1'], /for console/],
    [['console', '--profile', 'local'], /needs --web/],
    [['console', '--web', '--profile', 'local', '--port', '70000'], /--port/],
    [['console', '--web', '--profile', 'local', '--port', '-1'], /--port|argument/],
    [['console', '--web', '--profile', 'local', '--port', '80; rm -rf /'], /--port/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
