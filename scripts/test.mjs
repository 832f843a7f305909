#!/usr/bin/env node
// `npm test`: every workspace's tests against one real Kafka and Redis, then one summary line.
// `npm run test:soak` (this script with --soak): the soak suite instead, the long fault and
// exactness runs under test/soak/ of the workspaces that have a `test:soak` script.
//
// 1. Deletes stale test-results/ so an old report is never counted.
// 2. Through the test kit (packages/testkit/src/cli.ts run): takes KAFKA_BROKERS / REDIS_URL
//    from the environment, or starts Kafka and Redis once (containers if Docker answers, else
//    local processes), runs `turbo run test --continue` with both set, and stops what it started.
// 3. Sums every workspace's test-results/vitest.json and prints `skipped: N`, then, last,
//    `N passed, N failed` (the line .ci/run ends with). Exits non-zero if anything failed or
//    did not report.
//
// Extra arguments go to turbo: `npm test -- --filter=@pulse/kafka`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireShippedNode } from './runtime.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const soak = process.argv[2] === '--soak';
const turboArgs = process.argv.slice(soak ? 3 : 2);
const task = soak ? 'test:soak' : 'test';
const reportName = soak ? 'vitest-soak.json' : 'vitest.json';
requireShippedNode(soak ? 'npm run test:soak' : 'npm test');

/** Workspaces (packages/*, services/*) that have a script for the task. */
function testedWorkspaces() {
  return ['packages', 'services'].flatMap((group) => {
    const base = join(root, group);
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
      .map((entry) => {
        const dir = join(base, entry.name);
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        return {
          dir,
          name: manifest.name ?? relative(root, dir),
          tested: Boolean(manifest.scripts?.[task]),
        };
      })
      .filter((workspace) => workspace.tested);
  });
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.once('error', (err) => {
      console.error(`cannot run ${command}: ${err.message}`);
      resolve(1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Counts from one vitest JSON report. A test file that could not run, or a run vitest itself
 * calls unsuccessful with no failed test (no test files, an error in a hook), counts as one failure.
 */
function countsOf(report) {
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
  ).length;
  let failed = (report.numFailedTests ?? 0) + brokenFiles;
  if (report.success === false && failed === 0) failed = 1;
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** One line per failed test (or broken file) of a report: where, and its error's first line. */
function failuresOf(report, name, dir) {
  const firstLine = (messages) =>
    String(messages?.[0] ?? '')
      .split('\n')[0]
      .slice(0, 300);
  return (report.testResults ?? []).flatMap((file) => {
    const where = `  ${name} ${relative(dir, file.name ?? '')}`;
    const failed = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    if (file.status === 'failed' && failed.length === 0)
      return [`${where}: ${firstLine([file.message]) || 'the file did not run'}`];
    return failed.map((t) => `${where} > ${t.fullName}: ${firstLine(t.failureMessages)}`);
  });
}

const workspaces = testedWorkspaces();
for (const { dir } of workspaces) rmSync(join(dir, 'test-results', reportName), { force: true });

const cli = join(root, 'packages', 'testkit', 'src', 'cli.ts');
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const nodeArgs = ['--import', 'tsx', '--conditions=@pulse/source', cli, 'run', '--'];
const exitCode = await run(process.execPath, [
  ...nodeArgs,
  turbo,
  'run',
  task,
  '--continue',
  ...turboArgs,
]);

// With a --filter only some workspaces run; otherwise each one must have written a report.
const filtered = turboArgs.some((arg) => arg.startsWith('--filter') || arg === '-F');
const total = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
const failures = [];
for (const { dir, name } of workspaces) {
  const file = join(dir, 'test-results', reportName);
  if (!existsSync(file)) {
    if (!filtered) {
      total.failed += 1;
      lines.push(`  ${name}: no test report (its tests did not run)`);
    }
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = countsOf(report);
  failures.push(...failuresOf(report, name, dir));
  for (const key of Object.keys(total)) total[key] += counts[key];
  lines.push(
    `  ${name}: ${counts.passed} passed / ${counts.failed} failed / ${counts.skipped} skipped`,
  );
}

console.log(`\n${soak ? 'Soak test' : 'Test'} results by workspace:`);
for (const line of lines) console.log(line);
if (failures.length > 0) {
  // Named again here, beside the summary, because a CI log is often read from its tail.
  console.log('\nFailed:');
  for (const line of failures) console.log(line);
}
console.log(`skipped: ${total.skipped}`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = exitCode !== 0 || total.failed > 0 ? 1 : 0;
