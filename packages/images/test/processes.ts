// Child processes for the rehearsal: commands that must succeed, and a started service that is
// always stopped (SIGTERM, as `docker stop` sends) with its output kept for failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Only what a container would have: no NODE_OPTIONS or conditions inherited from the test run. */
function baseEnv(): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR } = process.env;
  return { PATH, HOME, TMPDIR };
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
}

/** Runs a command to completion; rejects with its output if it fails. */
export async function run(
  command: string,
  args: string[],
  { cwd, env }: RunOptions,
): Promise<void> {
  const child = spawn(command, args, {
    cwd,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output.slice(-4000)}`,
    );
  }
}

export interface StartedService {
  /** Everything it has written so far (stdout and stderr). */
  output(): string;
  exitCode(): number | null;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGTERM, then its exit code (SIGKILL after 60 s, a hang guard); safe to call more than once. */
  stop(): Promise<number | null>;
}

/** Starts `node services/<service>/dist/main.js` in an assembled image tree. */
export function startService(
  app: string,
  service: string,
  env: Record<string, string>,
  args: string[] = [],
): StartedService {
  const child: ChildProcess = spawn(
    process.execPath,
    [join('services', service, 'dist', 'main.js'), ...args],
    {
      cwd: app,
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let stopping: Promise<number | null> | undefined;
  return {
    output: () => output,
    exitCode: () => child.exitCode,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null)
          throw new Error(`${service} exited with ${child.exitCode}:\n${output}`);
        if (Date.now() > deadline)
          throw new Error(`${service}: no ${pattern} in ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}

/** Polls `url` until it answers 200; fails early, with the service's output, if it exits. */
export async function waitForHttp(
  url: string,
  service: StartedService,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.exitCode() !== null) {
      throw new Error(
        `exited with ${service.exitCode()} before ${url} answered:\n${service.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${url} not 200 after ${timeoutMs} ms (last: ${last}):\n${service.output().slice(-4000)}`,
  );
}

/** A port on 127.0.0.1 that is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || !address) throw new Error('no free port on 127.0.0.1');
  return address.port;
}
