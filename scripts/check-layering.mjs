#!/usr/bin/env node
// Proves the layering rules of eslint.config.js fire (CONVENTIONS.md section 2): lints small
// snippets as if they lived in each folder, and exits 1 unless every forbidden import is reported
// and every allowed one is not. Run by `npm run lint` after `eslint .`.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** [file the snippet pretends to be, import line, whether no-restricted-imports must fire] */
const CASES = [
  ['shared/src/ids.ts', "import fs from 'node:fs';", true],
  ['shared/src/ids.ts', "import { join } from 'path';", true],
  ['shared/src/ids.ts', "import { readFile } from 'fs/promises';", true],
  ['shared/src/ids.ts', "export { createNode } from '@switchboard/cluster-node';", true],
  ['shared/src/config/x.ts', "import { main } from '../../../cluster-node/src/main.js';", true],
  ['shared/src/ids.ts', "import { z } from 'zod';", false],
  ['shared/src/config/x.ts', "import { newId } from '../ids.js';", false],
  ['main/src/core/cluster.ts', "import { app } from 'electron';", true],
  ['main/src/core/cluster.ts', "import { createNode } from '@switchboard/cluster-node';", true],
  ['main/src/core/cluster.ts', "import { spawn } from 'node:child_process';", false],
  ['main/src/window.ts', "import { app } from 'electron';", false],
  ['main/src/window.ts', "import type { SwitchboardNode } from '@switchboard/cluster-node';", true],
  ['renderer/src/app.ts', "import { readFileSync } from 'node:fs';", true],
  ['renderer/src/app.ts', "import crypto from 'crypto';", true],
  ['renderer/src/app.ts', "import { createNode } from '@switchboard/cluster-node';", true],
  ['renderer/src/app.ts', "import { x } from '../../main/src/preload.js';", true],
  ['renderer/src/app.ts', "import { newId } from '@switchboard/shared';", false],
  ['cluster-node/src/node.ts', "import { x } from '@switchboard/main';", true],
  ['cluster-node/src/app/users.ts', "import { x } from '../../../renderer/src/app.js';", true],
  ['cluster-node/src/node.ts', "import { readFileSync } from 'node:fs';", false],
  ['cluster-node/src/node.ts', "import { main } from './main.js';", false],
  ['cluster-node/web/src/app.tsx', "import { readFileSync } from 'node:fs';", true],
  ['cluster-node/web/src/app.tsx', "import crypto from 'crypto';", true],
  ['cluster-node/web/src/app.tsx', "import pg from 'pg';", true],
  ['cluster-node/web/src/features/chat.tsx', "import { createNode } from '../../../src/node.js';", true],
  ['cluster-node/web/src/app.tsx', "import { x } from '../../../main/src/preload.js';", true],
  ['cluster-node/web/src/app.tsx', "import { x } from '../../../renderer/src/app.js';", true],
  ['cluster-node/web/src/app.tsx', "import { createNode } from '@switchboard/cluster-node';", true],
  ['cluster-node/web/src/app.tsx', "import type { Post } from '@switchboard/shared';", false],
  ['cluster-node/web/src/app.tsx', "import { Client4 } from '@mattermost/client';", false],
  ['cluster-node/web/src/features/chat.tsx', "import { mergePosts } from '../state/posts.js';", false],
];

/** Lints one snippet and says whether the layering rule reported it. */
async function fires(eslint, filePath, code) {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(root, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`);
  return result.messages.some((message) => message.ruleId === 'no-restricted-imports');
}

async function run() {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.js') });
  const failures = [];
  for (const [filePath, code, expected] of CASES) {
    const actual = await fires(eslint, filePath, code);
    if (actual !== expected) failures.push(`${filePath}: ${code} -> ${expected ? 'should be refused but was allowed' : 'should be allowed but was refused'}`);
  }
  if (failures.length > 0) {
    process.stderr.write(`check-layering: the layering rules in eslint.config.js are wrong:\n  ${failures.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`check-layering: ${CASES.length} layering cases behave as CONVENTIONS.md section 2 says\n`);
}

run().catch((err) => {
  process.stderr.write(`check-layering: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
