/**
 * OpenSSH host patterns, as `Host` lines of ssh_config and the host field of known_hosts use
 * them: `*` matches any run of characters, `?` exactly one, a leading `!` negates; matching is
 * case-insensitive.
 */

/** Whether `name` matches one glob pattern (`*`, `?`), ignoring case. */
export function matchesGlob(name: string, pattern: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

/**
 * Whether `name` matches a pattern list: at least one positive pattern matches and no negated
 * one does (a negated match wins, as in OpenSSH).
 * @example matchesPatternList('web1', ['web*', '!web2']) // true
 */
export function matchesPatternList(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesGlob(name, pattern.slice(1))) return false;
    } else if (matchesGlob(name, pattern)) {
      matched = true;
    }
  }
  return matched;
}
