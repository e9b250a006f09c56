import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

/**
 * The last `count` lines of a file, read backwards in chunks so a large log costs only what is
 * shown. A missing file has no lines; a final line without newline counts; empty lines are kept.
 * @example tailLines('/var/run/switchboard/n1.log', 100)
 */
export function tailLines(file: string, count: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    let position = fstatSync(fd).size;
    let text = '';
    let newlines = 0;
    // One newline more than lines wanted: the text then starts at a line boundary.
    while (position > 0 && newlines <= count) {
      const size = Math.min(CHUNK, position);
      position -= size;
      const buffer = Buffer.alloc(size);
      readSync(fd, buffer, 0, size, position);
      const chunk = buffer.toString('latin1');
      for (const char of chunk) if (char === '\n') newlines += 1;
      text = chunk + text;
    }
    const lines = Buffer.from(text, 'latin1').toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (position > 0) lines.shift(); // partial first line from the middle of the file
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}
