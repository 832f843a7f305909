// `npm run demo` stopped early and given bad options, as a user at a terminal would: Ctrl-C goes to
// the demo's whole process group while Kafka is still starting, and nothing it started is left
// (no broker, no redis-server, no temporary folder); bad options get one line each.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pulse/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isRunning, waitFor } from './processes.js';

function demo(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@pulse/source',
      join(repoRoot(), 'scripts/demo.mjs'),
      ...args,
    ],
    // Its own process group, as a shell gives a foreground job, so the test can Ctrl-C the group.
    { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  });
  return { child, exited, output: () => output };
}

describe('demo options', () => {
  it.each([
    [['--speed', '0.5'], 'demo: --speed: must be a number of at least 1, got "0.5"'],
    [['--foo'], "demo: Unknown option '--foo'"],
    [['--port', 'abc'], 'demo: --port: must be a whole number from 0 to 65535, got "abc"'],
  ])('demo %j should exit 2 with one line naming the bad option', async (args, line) => {
    const run = demo(args, process.env);
    expect(await run.exited).toBe(2);
    expect(run.output()).toBe(`${line} (npm run demo -- --help)\n`);
  });
});

describe('demo stopped while starting', () => {
  it('Ctrl-C while Kafka starts should leave no broker, redis-server or temp folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pulse-demo-stop-'));
    onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
    const { KAFKA_BROKERS: _k, REDIS_URL: _r, ...env } = process.env;
    const run = demo(['--trusts', 'RXN'], { ...env, TMPDIR: tmp, PULSE_TEST_INFRA: 'local' });
    // The broker has been launched (its pid file written) but is not serving yet.
    const state = await waitFor(
      'the demo to launch a broker',
      async () => {
        const dir = readdirSync(tmp).find((name) => name.startsWith('pulse-test-'));
        const file = dir && join(tmp, dir, 'kafka', 'kafka.json');
        return file && existsSync(file)
          ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number })
          : undefined;
      },
      120_000,
    );
    expect(run.output()).not.toContain('KAFKA_BROKERS=');
    process.kill(-run.child.pid!, 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('[demo] stopped');
    expect(isRunning(state.pid)).toBe(false);
    // (tsx keeps its own cache in TMPDIR.)
    expect(readdirSync(tmp).filter((name) => name.startsWith('pulse-'))).toEqual([]);
  }, 300_000);
});
