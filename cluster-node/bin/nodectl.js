#!/usr/bin/env node
// Manages the Switchboard nodes of one host (list, start, drain, kill, restart, logs); see `nodectl --help`.
import { main } from '../dist/nodectl/main.js';

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`nodectl: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
