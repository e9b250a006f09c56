// Command-line flags of `npm run bench`, validated once: a bad flag stops the run with one line.

/** Every scenario, in the order a run executes them. */
export const SCENARIOS = ['floor', 'node-to-node', 'end-to-end', 'baseline', 'connections', 'failover'];

const USAGE = `usage: npm run bench -- [--size smoke|full] [--only a,b] [--skip a,b] [--out file.json] [--docs file.md]
                       [--balancer auto|haproxy|tcp] [--cpu-prof dir] [--quiet]
scenarios: ${SCENARIOS.join(', ')}`;

/** Thrown for a flag the runner does not understand; run.mjs prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

function scenarioList(value, flag) {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !SCENARIOS.includes(name));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`${flag}: unknown scenario ${unknown.join(', ') || '(none)'}`);
  return names;
}

function takeValue(argv, i, flag) {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

/**
 * Parses the bench flags.
 * @example parseArgs(['--size', 'smoke', '--only', 'floor']) // { size: 'smoke', scenarios: ['floor'], ... }
 */
export function parseArgs(argv) {
  const options = { size: 'full', only: undefined, skip: [], out: undefined, docs: undefined, balancer: 'auto', cpuProf: undefined, quiet: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--quiet') options.quiet = true;
    else if (['--size', '--only', '--skip', '--out', '--docs', '--balancer', '--cpu-prof'].includes(flag)) {
      const value = takeValue(argv, i, flag);
      i += 1;
      if (flag === '--size') options.size = value;
      if (flag === '--only') options.only = scenarioList(value, flag);
      if (flag === '--skip') options.skip = scenarioList(value, flag);
      if (flag === '--out') options.out = value;
      if (flag === '--docs') options.docs = value;
      if (flag === '--balancer') options.balancer = value;
      if (flag === '--cpu-prof') options.cpuProf = value;
    } else throw new UsageError(`unknown flag ${flag}`);
  }
  if (!['smoke', 'full'].includes(options.size)) throw new UsageError(`--size must be smoke or full, not ${options.size}`);
  if (!['auto', 'haproxy', 'tcp'].includes(options.balancer)) throw new UsageError(`--balancer must be auto, haproxy or tcp, not ${options.balancer}`);
  const chosen = options.only ?? SCENARIOS;
  options.scenarios = SCENARIOS.filter((name) => chosen.includes(name) && !options.skip.includes(name));
  return options;
}

/** The usage text, for --help. */
export function usage() {
  return USAGE;
}
