import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

type Service = 'kafka' | 'redis';

/**
 * Runs infra/<service>/<service>.mjs with `args` (the same scripts people use), passing its
 * progress lines through to stderr, and resolves with its stdout.
 */
function runInfraScript(service: Service, args: readonly string[]): Promise<string> {
  const script = join(repoRoot(), 'infra', service, `${service}.mjs`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${service}.mjs ${args.join(' ')} exited with ${code}`)),
    );
  });
}

function valueOf(stdout: string, name: string): string {
  const line = stdout.split('\n').find((text) => text.startsWith(`${name}=`));
  if (!line) throw new Error(`expected a ${name}= line, got: ${stdout}`);
  return line.slice(name.length + 1).trim();
}

export interface LocalStartOptions {
  /** Where the service keeps its files and its pid. */
  dir: string;
  /** 0 for any free port. */
  port: number;
  /** Redis only: keep an append-only file (as compose does). */
  persist?: boolean;
}

/** Starts (or finds running) the local broker in `dir`; resolves with its bootstrap address. */
export async function startLocalKafka({ dir, port }: LocalStartOptions): Promise<string> {
  return valueOf(
    await runInfraScript('kafka', ['start', '--dir', dir, '--port', String(port)]),
    'KAFKA_BROKERS',
  );
}

/** Starts (or finds running) a private redis-server in `dir`; resolves with its URL. */
export async function startLocalRedis({
  dir,
  port,
  persist = false,
}: LocalStartOptions): Promise<string> {
  const args = ['start', '--dir', dir, '--port', String(port), ...(persist ? ['--persist'] : [])];
  return valueOf(await runInfraScript('redis', args), 'REDIS_URL');
}

/** Stops whatever the script of `service` started in `dir`. */
export async function stopLocal(service: Service, dir: string): Promise<void> {
  await runInfraScript(service, ['stop', '--dir', dir]);
}
