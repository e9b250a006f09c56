/**
 * Turning an argv into one command string for a remote POSIX shell, and back. Over SSH a
 * command is a single string the login shell parses, so EVERY element is single-quoted: inside
 * single quotes a POSIX shell expands nothing, and a `'` is written as `'\''` (close, escaped
 * quote, reopen). Nothing is ever pasted into a command unquoted.
 */

/**
 * One argument as a POSIX shell word that stands for exactly that string.
 * @example quoteArgument("it's") // `'it'\''s'`
 */
export function quoteArgument(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command string for `argv`, every element single-quoted. Refuses what a quoted word cannot
 * carry safely to every login shell: an empty argv, NUL, and line breaks (csh-family shells end a
 * command at a newline even inside quotes).
 * @example quoteCommand(['nodectl', 'start', 'n1']) // `'nodectl' 'start' 'n1'`
 */
export function quoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('quoteCommand: argv is empty');
  for (const arg of argv) {
    if (/[\0\r\n]/.test(arg)) throw new TypeError(`quoteCommand: argument ${JSON.stringify(arg)} holds NUL or a line break`);
  }
  return argv.map(quoteArgument).join(' ');
}

/**
 * Splits a command line into words the way a POSIX shell would, without expanding anything:
 * whitespace separates words; single quotes keep everything literally; double quotes keep
 * everything but `\"`, `\\`, `` \` `` and `\$`; a backslash outside quotes keeps the next
 * character. Used for a profile's `nodectl.command` (`/usr/bin/node /opt/sb/nodectl.js`), so a
 * path with spaces can be quoted there. Throws on an unterminated quote or escape.
 * @example splitWords(`'/opt/my node/bin/node' nodectl.js`) // ['/opt/my node/bin/node', 'nodectl.js']
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError(`unterminated single quote in ${JSON.stringify(line)}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const [text, end] = doubleQuoted(line, i + 1);
      word = (word ?? '') + text;
      i = end;
    } else if (char === '\\') {
      if (i + 1 >= line.length) throw new SyntaxError(`trailing backslash in ${JSON.stringify(line)}`);
      word = (word ?? '') + line[i + 1];
      i += 1;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The text of a double-quoted part starting at `start` and the index of its closing quote. */
function doubleQuoted(line: string, start: number): [string, number] {
  let text = '';
  for (let i = start; i < line.length; i += 1) {
    const char = line[i]!;
    if (char === '"') return [text, i];
    if (char === '\\' && i + 1 < line.length && '"\\`$'.includes(line[i + 1]!)) {
      text += line[i + 1];
      i += 1;
    } else {
      text += char;
    }
  }
  throw new SyntaxError(`unterminated double quote in ${JSON.stringify(line)}`);
}
