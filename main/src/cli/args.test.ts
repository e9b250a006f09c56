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

  it('reads drill run', () => {
    expect(parseCommandLine(['drill', 'run', 'kill-leader', '--profile', 'local', '--json', '--report', 'out.html'])).toEqual({ command: 'drill-run', scenario: 'kill-leader', profile: 'local', json: true, report: 'out.html' });
    expect(parseCommandLine(['drill', 'run', 'mine.yaml', '--profile', 'ops.yaml'])).toEqual({ command: 'drill-run', scenario: 'mine.yaml', profile: 'ops.yaml', json: false, report: undefined });
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
    [['drill'], /subcommand/],
    [['drill', 'start', 'kill-leader', '--profile', 'local'], /unknown drill subcommand/],
    [['drill', 'run', '--profile', 'local'], /needs a scenario/],
    [['drill', 'run', 'kill-leader'], /needs --profile/],
    [['drill', 'run', 'kill-leader', 'extra', '--profile', 'local'], /unexpected argument/],
    [['drill', 'run', 'kill-leader', '--profile', 'local', '--port', '1'], /for console/],
    [['status', '--profile', 'local', '--report', 'x.html'], /--report is for drill run/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
