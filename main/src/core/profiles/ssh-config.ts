import { readFileSync } from 'node:fs';
import { ProfileError } from './profile-error.js';
import { matchesPatternList } from './host-pattern.js';

/**
 * A small reader of OpenSSH client config (`~/.ssh/config`), so a profile host's `address` may be
 * an alias operators already use with `ssh`. The subset understood:
 * - `Host <pattern> ...` blocks (`*`, `?`, `!negation`) and settings before the first `Host`
 *   (they apply to every host); for each keyword the FIRST value that applies wins, as in OpenSSH;
 * - the keywords `HostName` (with `%h` for the alias), `Port`, `User` and `IdentityFile` (the
 *   first one; `~`, `%d` home, `%h`, `%r` remote user and `%%` expanded); every other keyword is
 *   ignored;
 * - `Keyword value` and `Keyword=value`, double-quoted values, `#` comment lines.
 * Not understood (their lines are skipped): `Match` blocks (everything up to the next `Host`),
 * `Include`, and every other keyword.
 */

/** What the console takes from ssh config for one alias. */
export interface SshConfigHost {
  hostName?: string;
  port?: number;
  user?: string;
  identityFile?: string;
}

/** One `Host` block (or the global settings, `patterns: null`). */
interface Block {
  patterns: string[] | null;
  settings: Array<{ keyword: string; value: string; line: number }>;
}

/** A parsed ssh config file. */
export interface SshConfig {
  file: string;
  blocks: readonly Block[];
}

const KEYWORDS = new Set(['hostname', 'port', 'user', 'identityfile']);

/** Splits arguments on whitespace, honouring double quotes. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|(\S+)/g)) args.push(match[1] ?? match[2]!);
  return args;
}

/**
 * Parses ssh config text (see the module comment for the subset).
 * @example parseSshConfig('Host web1\n  HostName 10.0.0.5\n  Port 2222\n', 'config')
 */
export function parseSshConfig(text: string, file: string): SshConfig {
  const blocks: Block[] = [{ patterns: null, settings: [] }];
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) return;
    const keyword = match[1]!.toLowerCase();
    const args = splitArguments(match[2]!);
    if (keyword === 'host') {
      skipping = false;
      blocks.push({ patterns: args, settings: [] });
    } else if (keyword === 'match') {
      skipping = true;
    } else if (!skipping && KEYWORDS.has(keyword) && args[0] !== undefined) {
      blocks[blocks.length - 1]!.settings.push({ keyword, value: args[0], line: index + 1 });
    }
  });
  return { file, blocks };
}

/** Reads and parses an ssh config file; a missing file is an empty config. */
export function readSshConfig(file: string): SshConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { file, blocks: [] };
    throw new ProfileError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseSshConfig(text, file);
}

/** Expands `~` and the `%` tokens ssh_config allows in IdentityFile and HostName. */
function expand(value: string, tokens: { alias: string; home: string; user?: string }): string {
  const tilde = value === '~' || value.startsWith('~/') ? `${tokens.home}${value.slice(1)}` : value;
  return tilde.replace(/%([%dhr])/g, (whole, token: string) => {
    if (token === '%') return '%';
    if (token === 'd') return tokens.home;
    if (token === 'h') return tokens.alias;
    return tokens.user ?? whole;
  });
}

/**
 * What ssh config says about `alias`: HostName, Port, User and IdentityFile, first value wins.
 * `home` expands `~` and `%d`.
 * @example lookupSshConfig(parseSshConfig('Host web1\n HostName 10.0.0.5\n', 'c'), 'web1', '/root') // { hostName: '10.0.0.5' }
 */
export function lookupSshConfig(config: SshConfig, alias: string, home: string): SshConfigHost {
  const found: Record<string, { value: string; line: number }> = {};
  for (const block of config.blocks) {
    if (block.patterns !== null && !matchesPatternList(alias, block.patterns)) continue;
    for (const setting of block.settings) found[setting.keyword] ??= setting;
  }
  const result: SshConfigHost = {};
  if (found.user) result.user = found.user.value;
  if (found.hostname) result.hostName = expand(found.hostname.value, { alias, home });
  if (found.identityfile) result.identityFile = expand(found.identityfile.value, { alias, home, user: result.user });
  if (found.port) {
    const port = Number(found.port.value);
    if (!/^\d+$/.test(found.port.value) || port < 1 || port > 65535) {
      throw new ProfileError(config.file, [`line ${found.port.line}: Port must be 1-65535, got ${JSON.stringify(found.port.value)}`]);
    }
    result.port = port;
  }
  return result;
}
