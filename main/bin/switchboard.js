#!/usr/bin/env node
// The Switchboard console's command line: `switchboard console --web` and `switchboard status`; see `switchboard --help`.
import { main } from '../dist/cli/main.js';

main().then(
  // Exit once stdout has drained (a pipe may still hold the status JSON or the console URL).
  (code) => process.stdout.write('', () => process.exit(code)),
  (err) => {
    process.stderr.write(`switchboard: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
