import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tailLines } from './log-tail.js';

const dir = mkdtempSync(join(tmpdir(), 'log-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('tailLines', () => {
  it('returns the last lines, fewer when the file is short, none when it is missing or empty', () => {
    const path = file('short.log', 'a\nb\nc\n');
    expect(tailLines(path, 2)).toEqual(['b', 'c']);
    expect(tailLines(path, 10)).toEqual(['a', 'b', 'c']);
    expect(tailLines(file('open.log', 'a\nb'), 1)).toEqual(['b']);
    expect(tailLines(file('blank.log', 'a\n\nb\n'), 2)).toEqual(['', 'b']);
    expect(tailLines(file('empty.log', ''), 5)).toEqual([]);
    expect(tailLines(join(dir, 'missing.log'), 5)).toEqual([]);
  });

  it('reads a large file from its end across chunk boundaries, multi-byte text intact', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ✓ ${'x'.repeat(i % 37)}`);
    const path = file('big.log', `${lines.join('\n')}\n`);
    expect(tailLines(path, 10_000)).toEqual(lines.slice(-10_000));
    expect(tailLines(path, 3)).toEqual(lines.slice(-3));
    expect(tailLines(path, 20_000)).toEqual(lines);
  });
});
