#!/usr/bin/env node
// Runs a Switchboard chat node; configuration comes from SB_* environment variables.
import { main } from '../dist/main.js';

main().catch((err) => {
  process.stderr.write(`switchboard-node: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
