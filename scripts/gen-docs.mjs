#!/usr/bin/env node
// Regenerates the parts of the docs that come from code: README.md's configuration reference
// (between the config markers) and docs/ERRORS.md. Run after `npm run build`; a test fails when
// either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigReference, renderErrorCatalog } from '@switchboard/shared';

const root = new URL('..', import.meta.url);
const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

const readmeUrl = new URL('README.md', root);
const readme = readFileSync(readmeUrl, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) {
  process.stderr.write(`README.md lacks the ${START} ... ${END} markers\n`);
  process.exit(1);
}
writeFileSync(readmeUrl, `${readme.slice(0, from + START.length)}\n${renderConfigReference()}\n${readme.slice(to)}`);

const errorsDoc = `# Error catalogue

Every error Switchboard reports, generated from \`shared/src/errors/catalog.ts\` by
\`npm run docs\`. Over HTTP an error is Mattermost's body
\`{id, message, detailed_error, request_id, status_code}\` with the status below; over the
WebSocket it is a \`FAIL\` reply carrying the same \`id\`. Unknown failures are \`internal.error\`,
logged with their stack on the node and never sent to clients.

${renderErrorCatalog()}
`;
writeFileSync(new URL('docs/ERRORS.md', root), errorsDoc);
process.stdout.write('docs regenerated: README.md configuration reference, docs/ERRORS.md\n');
