import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs the Playwright end-to-end suite from `npm test` (vitest project "e2e", after the unit and
 * integration tests): one Playwright run, then one vitest test per spec file asserting that every
 * test of that file passed, with Playwright's own failure messages. So CI counts e2e in its
 * summary, and `npm test -- <vitest flags>` keeps reaching vitest.
 */

const CONFIG = fileURLToPath(new URL('./playwright.config.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../test-results/e2e-report.json', import.meta.url));
const CLI = createRequire(import.meta.url).resolve('@playwright/test/cli');
const CHROMIUM = '/usr/bin/chromium';
const SPECS = readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((name) => name.endsWith('.spec.ts')).sort();

/** The parts of Playwright's JSON report read here. */
interface JsonSuite {
  title: string;
  file: string;
  specs: Array<{ title: string; ok: boolean; tests: Array<{ status: string; results: Array<{ status: string; error?: { message?: string } }> }> }>;
  suites?: JsonSuite[];
}
interface JsonReport {
  suites: JsonSuite[];
  errors: Array<{ message?: string }>;
}

let exitCode: number | null = null;
let output = '';
let report: JsonReport | undefined;

function runPlaywright(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'test', '-c', CONFIG], { env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
}

/** Every spec of a file in the report, with the first error of each that did not pass. */
function specsOf(file: string): Array<{ title: string; ok: boolean; error: string }> {
  const found: Array<{ title: string; ok: boolean; error: string }> = [];
  const walk = (suite: JsonSuite) => {
    if (suite.file === file || suite.file.endsWith(`/${file}`)) {
      for (const spec of suite.specs) {
        const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message ?? '';
        found.push({ title: spec.title, ok: spec.ok, error: error.slice(0, 2_000) });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  return found;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); e2e never downloads a browser`);
  rmSync(REPORT, { force: true });
  exitCode = await runPlaywright();
  console.log(output);
  if (existsSync(REPORT)) report = JSON.parse(readFileSync(REPORT, 'utf8')) as JsonReport;
}, 900_000);

describe('console end to end (Playwright, Debian Chromium)', () => {
  it('ran and wrote its report', () => {
    expect(report, `Playwright wrote no report (exit ${exitCode}):\n${output.slice(-4_000)}`).toBeDefined();
    expect(report!.errors.map((error) => error.message), 'errors outside any test').toEqual([]);
  });

  it.each(SPECS)('%s passes', (file) => {
    const specs = specsOf(file);
    expect(specs.length, `no result for ${file} in the report`).toBeGreaterThan(0);
    const failed = specs.filter((spec) => !spec.ok).map((spec) => `${spec.title}: ${spec.error}`);
    expect(failed).toEqual([]);
  });

  it('exits 0', () => {
    expect(exitCode, output.slice(-4_000)).toBe(0);
  });
});
