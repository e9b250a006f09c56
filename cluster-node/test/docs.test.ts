import { readFileSync } from 'node:fs';
import { renderConfigReference, renderErrorCatalog } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('docs generated from code are current (npm run docs regenerates them)', () => {
  it('README.md lists every configuration variable with its default and meaning', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    expect(readme).toContain(`<!-- config-reference:start -->\n${renderConfigReference()}\n<!-- config-reference:end -->`);
  });

  it('docs/ERRORS.md lists every error id', () => {
    expect(readFileSync(new URL('docs/ERRORS.md', root), 'utf8')).toContain(renderErrorCatalog());
  });
});
