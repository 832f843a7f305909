// Where the public tier's trees are computed. Controlling England's whole structure costs about a
// second of CPU (docs/BENCHMARKS.md, "Disclosure control"), so by default it runs in worker
// threads (piscina: a pool that queues, recovers from a crashed worker and closes cleanly, which
// node:worker_threads alone would have us write), and the event loop only reads the figures and
// copies the inputs and JSON bodies across. A given TreeControl (tests: markers, counters, the
// old per-body control) runs in process instead: functions cannot cross a thread boundary.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { RefData } from '@pulse/refdata';
import {
  buildSeriesTree,
  buildSnapshotTree,
  type BuiltTree,
  type SeriesTreeInput,
  type SnapshotTreeInput,
  type TreeControl,
} from './public-trees.js';
import type { TreeTask } from './tree-worker.js';

export interface TreeBuilder {
  snapshot(input: SnapshotTreeInput): Promise<BuiltTree>;
  series(input: SeriesTreeInput): Promise<BuiltTree>;
  close(): Promise<void>;
}

/** Builds on this thread with the given control. */
export function inProcessBuilder(refdata: RefData, control: TreeControl): TreeBuilder {
  return {
    snapshot: async (input) => buildSnapshotTree(refdata, control, input),
    series: async (input) => buildSeriesTree(refdata, control, input),
    close: async () => {},
  };
}

/**
 * Builds in up to `threads` worker threads with @pulse/disclosure's control. Threads start on the
 * first build and stop after `idleMs` without one. The worker loads the default reference data.
 */
export function workerBuilder(options: { threads: number; idleMs?: number }): TreeBuilder {
  const threads = Math.max(1, Math.min(options.threads, availableParallelism()));
  const pool = new Piscina<TreeTask, BuiltTree>({
    filename: workerFile().href,
    minThreads: 0,
    maxThreads: threads,
    // A build is a second of CPU: a thread runs one at a time, the rest wait in the queue (the
    // public tier's gate bounds it).
    concurrentTasksPerWorker: 1,
    idleTimeout: options.idleMs ?? 60_000,
    execArgv: workerExecArgv(),
  });
  return {
    snapshot: (input) => pool.run({ kind: 'snapshot', input }),
    series: (input) =>
      pool.run({ kind: 'series', input }, { transferList: input.points.map(([, p]) => p.buffer) }),
    close: () => pool.close({ force: true }),
  };
}

/** The worker's module beside this one: .js when built, .ts when run from source. */
function workerFile(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./tree-worker.${ext}`, import.meta.url);
}

/**
 * Run from source (tsx, vitest), the worker loads TypeScript through tsx's loader and the
 * workspaces' source exports; built, it runs as the main thread does.
 */
function workerExecArgv(): string[] {
  if (!import.meta.url.endsWith('.ts')) return process.execArgv;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...process.execArgv, '--import', tsx, '--conditions=@pulse/source'];
}
