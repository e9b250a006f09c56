import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArgument, quoteCommand, splitWords } from './shell-words.js';

const NASTY = ['n1; rm -rf /', "it's", "''", '$(touch /tmp/x)', '`id`', 'a b\tc', '"dq"', '\\', '*', '~', '$HOME', '!', '-n', '', 'ünïcødé'];

describe('quoteArgument / quoteCommand', () => {
  it('single-quotes every element, writing a quote as close-escape-reopen', () => {
    expect(quoteArgument('n1')).toBe("'n1'");
    expect(quoteArgument("it's")).toBe(`'it'\\''s'`);
    expect(quoteArgument('')).toBe("''");
    expect(quoteCommand(['nodectl', 'start', 'n1; rm -rf /'])).toBe(`'nodectl' 'start' 'n1; rm -rf /'`);
  });

  it('gives a real POSIX shell back exactly the argv, expanding nothing', () => {
    const script = quoteCommand([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--', ...NASTY]);
    const run = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(NASTY);
  });

  it('refuses an empty argv, NUL and line breaks', () => {
    expect(() => quoteCommand([])).toThrow(/empty/);
    expect(() => quoteCommand(['a\nb'])).toThrow(/line break/);
    expect(() => quoteCommand(['a\0b'])).toThrow(/NUL/);
  });
});

describe('splitWords', () => {
  it('splits on whitespace and honours quotes and backslashes without expanding', () => {
    expect(splitWords('  nodectl   --flag  ')).toEqual(['nodectl', '--flag']);
    expect(splitWords(`'/opt/my node/node' "/a b/nodectl.js" x\\ y $HOME`)).toEqual(['/opt/my node/node', '/a b/nodectl.js', 'x y', '$HOME']);
    expect(splitWords(`"say \\"hi\\" \\n" a''b`)).toEqual(['say "hi" \\n', 'ab']);
    expect(splitWords("''")).toEqual(['']);
  });

  it('is the inverse of quoteCommand', () => {
    expect(splitWords(quoteCommand(NASTY))).toEqual(NASTY);
  });

  it('throws on unterminated quotes and a trailing backslash', () => {
    expect(() => splitWords("'open")).toThrow(/single quote/);
    expect(() => splitWords('"open')).toThrow(/double quote/);
    expect(() => splitWords('x\\')).toThrow(/backslash/);
  });
});
