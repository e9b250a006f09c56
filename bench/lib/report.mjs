// docs/BENCHMARKS.md from a result: the generated part sits between markers, so the hand-written
// sections around it (profiling, fixes, analysis) survive a regeneration.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderReport } from './report-tables.mjs';

const START = '<!-- bench:generated:start -->';
const END = '<!-- bench:generated:end -->';

/** Writes (or updates the generated part of) the report at `path` for `result`. */
export function writeReport(result, path, resultFile) {
  const generated = `${START}\n${renderReport(result, resultFile)}\n${END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = current.indexOf(START);
  const end = current.indexOf(END);
  const text = at >= 0 && end > at
    ? `${current.slice(0, at)}${generated}${current.slice(end + END.length)}`
    : `# Benchmarks\n\n${generated}\n`;
  writeFileSync(path, text);
}
