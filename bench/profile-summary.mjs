#!/usr/bin/env node
// Summarises V8 CPU profiles (`node --cpu-prof`, or `npm run bench -- --cpu-prof <dir>`): the
// functions with the most self time, and the code locations (file:line) they come from.
// usage: node bench/profile-summary.mjs <file.cpuprofile|dir> [--top 30]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function profileFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(path, name));
}

/** Self time per function (name + location) of one profile, µs. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const node = byId.get(profile.samples[i]);
    const frame = node.callFrame;
    const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|cluster-node|shared)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return self;
}

function main() {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
  const target = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--top');
  if (!target) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile|dir> [--top 30]\n');
    process.exit(2);
  }
  for (const file of profileFiles(target)) {
    const self = selfTimes(JSON.parse(readFileSync(file, 'utf8')));
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`\n${file}: ${(total / 1e6).toFixed(2)} s sampled\n`);
    const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [name, micros] of rows) process.stdout.write(`${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
