#!/usr/bin/env node
// `npm run bench`: the benchmark suite of issue 4. Runs the selected scenarios at the chosen size
// against the built Switchboard node (cluster-node/dist) and a Socket.IO baseline, on the local
// Redis and Postgres, and writes one JSON result (and, with --docs, the Markdown report).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, usage, UsageError } from './lib/args.mjs';
import { evaluateGoals } from './lib/goals.mjs';
import { loadAverage, machineInfo } from './lib/machine.mjs';
import { writeReport } from './lib/report.mjs';
import { sizeProfile } from './lib/sizes.mjs';
import { runTargets } from './lib/sessions.mjs';
import { runFloor } from './scenarios/floor.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function resultPath(options, startedAt) {
  if (options.out) return options.out;
  return `${ROOT}bench/results/${startedAt.replace(/[:.]/g, '-')}-${options.size}.json`;
}

async function run(options) {
  const size = sizeProfile(options.size);
  const began = Date.now();
  const log = options.quiet ? () => {} : (line) => process.stdout.write(`${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s  ${line}\n`);
  if (!existsSync(`${ROOT}cluster-node/dist/main.js`) || !existsSync(`${ROOT}shared/dist/index.js`)) {
    throw new Error('cluster-node is not built: run `npx tsc -b shared cluster-node` (or `npm run build`) first');
  }
  const startedAt = new Date().toISOString();
  const result = {
    version: 1,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    size: size.name,
    sizes: size,
    startedAt,
    machine: await machineInfo(),
    loadAverage: { start: loadAverage() },
    scenarios: {},
  };
  log(`bench: size ${size.name}, scenarios ${options.scenarios.join(', ')}; load average at start ${result.loadAverage.start.join(' ')}`);
  if (options.scenarios.includes('floor')) result.scenarios.floor = await runFloor({ size, log });
  Object.assign(result.scenarios, await runTargets({ options, size, log, root: ROOT }));
  result.loadAverage.end = loadAverage();
  result.finishedAt = new Date().toISOString();
  result.goals = evaluateGoals(result);
  const out = resultPath(options, startedAt);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  log(`bench: result written to ${relative(process.cwd(), out)}; load average at end ${result.loadAverage.end.join(' ')}`);
  if (options.docs) {
    writeReport(result, options.docs, relative(ROOT, out));
    log(`bench: report written to ${options.docs}`);
  }
  for (const goal of result.goals) log(`goal ${goal.met === null ? 'n/a ' : goal.met ? 'MET ' : 'MISS'} ${goal.name}: ${goal.figure}`);
  return result;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  await run(options);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
