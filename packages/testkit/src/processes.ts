// Child processes from source (node + tsx, as `npm run demo` and the services' dev scripts run
// them), their output captured, and stopped when the test finishes if they are still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseAfterTest } from './cleanup.js';
import { repoRoot } from './repo.js';
import { FROM_SOURCE_ARGS } from './services.js';

export interface Child {
  process: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process exits. */
  exited: Promise<number | null>;
}

/** Runs `script` (a path from the repository root) from source with the given environment. */
export function runFromSource(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Child {
  const child = spawn(process.execPath, [...FROM_SOURCE_ARGS, join(repoRoot(), script), ...args], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  releaseAfterTest(`stop ${script}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
  });
  return { process: child, output: () => output, exited };
}

/** Whether a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls `probe` every 500 ms until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

/** Polls `url` every 500 ms until it answers 2xx (a service's /readyz). */
export function waitForOk(url: string, timeoutMs: number): Promise<true> {
  return waitFor(
    `${url} to answer 2xx`,
    () =>
      fetch(url).then(
        (r) => (r.ok ? true : undefined),
        () => undefined,
      ),
    timeoutMs,
  );
}
