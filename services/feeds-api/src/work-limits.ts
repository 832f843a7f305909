// The API bounds its own work: every read through the figures port has a cost, reads whose cost
// passes a threshold are "expensive", at most `maxExpensive` of them run at once per process, and
// one more is refused at once with 503 + Retry-After rather than queued (a queue without bound is
// how 200 abusive series requests once took the process from 218 MB to out of memory). The store's
// reader assembles a series in chunks of SERIES_CHUNK_BUCKETS (one script per partition each), so
// one request holds one chunk's reads at a time.
//
// Cost is points x scopes: a series is its bucket count for its one scope; live gauges cost 1
// for any scope: the store reads an ICB's, region's or England's from the gauge state it keeps
// per scope, a fixed number of commands per partition (falling back to per-trust reads only in
// a partition whose scope state was not kept, e.g. before a rebuild after an in-place upgrade).
import { bucketsBetween } from '@pulse/kpi';
import { ApiError } from './errors.js';
import type { FiguresSource } from './ports.js';

export interface WorkLimits {
  /** A read costing at least this is expensive (default 100). */
  expensiveCost: number;
  /** Expensive reads running at once per process; one more is a 503 (default 4). */
  maxExpensive: number;
  /** Retry-After of a refused expensive read, in seconds (default 1). */
  retryAfterSeconds: number;
}

export const DEFAULT_WORK_LIMITS: WorkLimits = {
  expensiveCost: 100,
  maxExpensive: 4,
  retryAfterSeconds: 1,
};

/** A counting gate: enter() returns a release function, or undefined when full. */
export interface Gate {
  enter(): (() => void) | undefined;
  readonly inUse: number;
}

export function createGate(max: number): Gate {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`gate size must be >= 1, got ${max}`);
  let inUse = 0;
  return {
    enter() {
      if (inUse >= max) return undefined;
      inUse++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inUse--;
      };
    },
    get inUse() {
      return inUse;
    },
  };
}

/** The figures port with the limits applied: expensive reads gated. */
export function boundedFigures(
  figures: FiguresSource,
  limits: WorkLimits = DEFAULT_WORK_LIMITS,
): FiguresSource & { readonly gate: Gate } {
  const gate = createGate(limits.maxExpensive);
  const guarded = async <T>(cost: number, read: () => Promise<T>): Promise<T> => {
    if (cost < limits.expensiveCost) return read();
    const release = gate.enter();
    if (!release) {
      throw new ApiError(
        'BUSY',
        `${limits.maxExpensive} expensive requests are being answered; this one (cost ${cost}) ` +
          `was not queued. Retry after ${limits.retryAfterSeconds} s, or ask for fewer points.`,
        { headers: { 'retry-after': String(limits.retryAfterSeconds) } },
      );
    }
    try {
      return await read();
    } finally {
      release();
    }
  };

  return {
    gate,
    counters: (scope, size, bucketIds) =>
      guarded(bucketIds.length, () => figures.counters(scope, size, bucketIds)),
    counterSeries: (scope, figure, size, from, to) =>
      guarded(bucketsBetween(size, from, to).length, () =>
        figures.counterSeries(scope, figure, size, from, to),
      ),
    gaugeSeries: (scope, size, from, to) =>
      guarded(bucketsBetween(size, from, to).length, () =>
        figures.gaugeSeries(scope, size, from, to),
      ),
    live: (scope, asOf, londonDate) => guarded(1, () => figures.live(scope, asOf, londonDate)),
    freshness: (scope) => figures.freshness(scope),
    completeness: (scope, asOf, londonDate, since) =>
      figures.completeness(scope, asOf, londonDate, since),
    freshView: () => figures.freshView(),
  };
}
