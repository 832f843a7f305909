// Child processes for the crash and rebalance tests: the aggregator exactly as deployed (main.ts)
// and the simulator's CLI. Both run as one node process each (node --import tsx), so SIGKILL hits
// the process doing the work, not a wrapper.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseAfterTest } from '@pulse/testkit';

const AGGREGATOR_DIR = fileURLToPath(new URL('../../', import.meta.url));
const SIMULATOR_MAIN = fileURLToPath(new URL('../../../simulator/src/main.ts', import.meta.url));
const NODE_ARGS = ['--conditions=@pulse/source', '--import', 'tsx'];

export interface Child {
  process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string>, logFile: string | undefined): Child {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: AGGREGATOR_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', logFile ? 'pipe' : 'ignore', logFile ? 'pipe' : 'ignore'],
  });
  if (logFile) {
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  // Whatever the test's outcome, nothing it started outlives it.
  releaseAfterTest('child process', async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { process: child, exited };
}

/** The aggregator's main.ts with this environment. PULSE_TEST_CHILD_LOG names a file for its logs. */
export function startAggregatorProcess(env: Record<string, string>): Child {
  return start(['src/main.ts'], env, process.env.PULSE_TEST_CHILD_LOG);
}

/** A port on 127.0.0.1 free right now, for a child's operations server (PORT). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One counter (no labels) from a child's GET /metrics on its operations port. */
export async function metricOf(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} not in /metrics on port ${port}`);
  return Number(line.slice(name.length + 1));
}

/** The simulator CLI; resolves when it exits, rejecting unless it exits 0. */
export async function runSimulator(args: string[], env: Record<string, string>): Promise<void> {
  const child = start(
    [SIMULATOR_MAIN, ...args],
    { LOG_LEVEL: 'warn', ...env },
    process.env.PULSE_TEST_CHILD_LOG,
  );
  const { code, signal } = await child.exited;
  if (code !== 0) throw new Error(`simulator exited with ${code ?? signal}`);
}

/** A path for the simulator's sent log in a temporary folder removed when the test finishes. */
export async function sentLogPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agg-sent-'));
  releaseAfterTest('sentLogPath', () => rm(dir, { recursive: true, force: true }));
  return join(dir, 'sent.jsonl');
}

/** The simulator's arguments for one whole London day [start, end) at a pace. */
export function simulatedDay(day: { start: number; end: number }, speed: number): string[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  return ['--from', iso(day.start), '--to', iso(day.end), '--speed', String(speed)];
}
