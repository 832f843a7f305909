// runMain: a service's process from start to exit. Signals, fatal errors and the service ending by
// itself all lead to one graceful shutdown (close-with-grace): what `main` registered with onClose
// is closed, last first, within a bound; a second signal or the bound passing exits at once.
// A service never dies by a signal it was sent to stop.
import closeWithGrace from 'close-with-grace';
import type { Logger } from '@pulse/logging';

export interface MainContext {
  /**
   * Closes `close` when the process stops, last registered first. Registered once closing has
   * begun (a signal during start-up), it is closed at once.
   */
  onClose(close: () => unknown): void;
  /** Where shutdown is reported, once the service has its logger (stderr until then). */
  useLogger(logger: Logger): void;
  /** Aborted when the process begins to close, so a start-up still waiting can give up. */
  readonly signal: AbortSignal;
}

/**
 * What `main` resolves with: nothing (run until a signal), an exit code (done: close and exit
 * with it), or `{ exitCode }`, a promise of one (running; exit with it when it settles, e.g. 1
 * when a consumer stopped for good).
 */
export type MainOutcome = void | number | { exitCode: Promise<number> };

export interface RunMainOptions {
  /** The bound on a graceful shutdown, ms (default 10 s, under Docker's stop timeout). */
  closeTimeoutMs?: number;
}

export function runMain(
  name: string,
  main: (context: MainContext) => Promise<MainOutcome>,
  options: RunMainOptions = {},
): void {
  const closers: (() => unknown)[] = [];
  const closing = new AbortController();
  let logger: Logger | undefined;
  let exitCode = 0;
  let closed: Promise<void> | undefined;

  const report = (level: 'info' | 'error', fields: object, message: string) => {
    if (logger) logger[level](fields, message);
    else if (level === 'error') process.stderr.write(`${name}: ${message}\n`);
  };
  const closeOne = async (close: () => unknown) => {
    try {
      await close();
    } catch (err) {
      exitCode = 1;
      report('error', { err }, `close failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };
  const closeAll = () =>
    (closed ??= (async () => {
      closing.abort();
      for (const close of closers.reverse()) await closeOne(close);
      report('info', {}, 'closed');
    })());

  const grace = closeWithGrace(
    {
      delay: options.closeTimeoutMs ?? 10_000,
      // beforeExit is main's own business: a finished main returns its exit code.
      skip: ['beforeExit'],
      logger: { error: (message: unknown) => report('error', {}, String(message)) },
      onSecondSignal: (signal) => report('error', { signal }, `second ${signal}: exiting now`),
      onTimeout: (delay) => report('error', { delay }, `not closed within ${delay} ms: exiting`),
    },
    async ({ signal, err }) => {
      if (err) {
        exitCode = 1;
        report('error', { err }, `fatal: ${err.message}`);
      } else if (signal) report('info', { signal }, 'closing');
      await closeAll();
      // close-with-grace exits 0 after a signal; a failed close or main's own code wins.
      if (exitCode !== 0) process.exit(exitCode);
    },
  );
  const exit = (code: number) => {
    exitCode = code;
    grace.close();
  };

  const context: MainContext = {
    onClose(close) {
      if (closed) void closeOne(close);
      else closers.push(close);
    },
    useLogger(root) {
      logger = root;
    },
    signal: closing.signal,
  };

  main(context).then(
    (outcome) => {
      if (typeof outcome === 'number') exit(outcome);
      else if (outcome) void outcome.exitCode.then(exit, () => exit(1));
    },
    (err: unknown) => {
      // A start-up cut short by a signal fails as it may; the shutdown already runs.
      if (closed) return;
      // Configuration errors list one bad variable per line; print them as they are.
      process.stderr.write(`${name} failed to start: ${(err as Error)?.message ?? String(err)}\n`);
      if (logger) logger.error({ err }, 'failed to start');
      exit(1);
    },
  );
}
