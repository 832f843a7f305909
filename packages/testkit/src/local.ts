import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repo.js';

type Service = 'kafka' | 'redis';

/**
 * Runs infra/<service>/<service>.mjs with `args` (the same scripts people use), passing its
 * progress lines through to stderr, and resolves with its stdout.
 */
function runInfraScript(
  service: Service,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<string> {
  const script = join(repoRoot(), 'infra', service, `${service}.mjs`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Aborted: SIGTERM, on which a starting script stops what it started (infra/lib/process.mjs);
    // this settles only once it has exited, so nothing it started is still running by then.
    const abort = () => child.kill('SIGTERM');
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
    child.once('close', () => signal?.removeEventListener('abort', abort));
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
  /** Aborting stops the start: the script stops what it started and this rejects. */
  signal?: AbortSignal;
  /** 0 for any free port. */
  port: number;
  /** Redis only: keep an append-only file (as compose does). */
  persist?: boolean;
}

/** Starts (or finds running) the local broker in `dir`; resolves with its bootstrap address. */
export async function startLocalKafka({ dir, port, signal }: LocalStartOptions): Promise<string> {
  return valueOf(
    await runInfraScript('kafka', ['start', '--dir', dir, '--port', String(port)], signal),
    'KAFKA_BROKERS',
  );
}

/** Starts (or finds running) a private redis-server in `dir`; resolves with its URL. */
export async function startLocalRedis({
  dir,
  port,
  persist = false,
  signal,
}: LocalStartOptions): Promise<string> {
  const args = ['start', '--dir', dir, '--port', String(port), ...(persist ? ['--persist'] : [])];
  return valueOf(await runInfraScript('redis', args, signal), 'REDIS_URL');
}

/** Stops whatever the script of `service` started in `dir`. */
export async function stopLocal(service: Service, dir: string): Promise<void> {
  await runInfraScript(service, ['stop', '--dir', dir]);
}
