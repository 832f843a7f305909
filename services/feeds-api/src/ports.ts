// What the routes need from the outside world, as small interfaces. buildApp takes them in `deps`,
// so routes are tested against real Redis through the real reader, and nothing else leaks in.
import type {
  BedFigures,
  BucketSize,
  CounterFigures,
  FigureFamily,
  GaugeFigures,
  Scope,
} from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
import type { RefData } from '@pulse/refdata';
import type { Redis } from '@pulse/redis';
import type { ReadinessCheck } from '@pulse/service';
import type { FigureReader } from '@pulse/store';
import type { ChangeLog } from './stream/change-log.js';
import type { Verifier } from './auth/verifier.js';
import type { TreeControl } from './public-trees.js';

/** Live gauges and bed figures of a scope, as of an instant. */
export interface LiveFigures {
  gauges: GaugeFigures;
  beds: BedFigures;
}

/** Providers of a scope that reported since an instant, out of those expected on the day. */
export interface Reported {
  reported: number;
  expected: number;
}

/** Overall (every provider in scope, any event) and per figure family (providers expected to report it). */
export interface Completeness extends Reported {
  families: Record<FigureFamily, Reported>;
}

/** Freshness and completeness of any scope, from one read of the store (FiguresSource.freshView). */
export interface FreshView {
  freshness(scope: Scope): number | null;
  completeness(scope: Scope, asOf: number, londonDate: string, since: number): Completeness;
}

/** Reads the aggregator's figures (the @pulse/store reader, merged over partitions). */
export interface FiguresSource {
  /** Counter figures of a scope summed over the given buckets of one size. */
  counters(scope: Scope, size: BucketSize, bucketIds: readonly string[]): Promise<CounterFigures>;
  /**
   * One figure per bucket covering [from, to), in time order (zeros where nothing counted), each
   * with how many providers of the scope reported the figure's family in it.
   */
  counterSeries: FigureReader['counterSeries'];
  /**
   * Gauge history: per bucket covering [from, to), the samples of the scope's trusts at the
   * bucket's end (daily G&A beds: at 08:00 London), summed, with how many trusts were sampled.
   */
  gaugeSeries: FigureReader['gaugeSeries'];
  /**
   * Gauges summed over the scope's trusts on londonDate: the current open sets and bed snapshots;
   * asOf moves only the over-12h / 18w / 52w / 65w thresholds.
   */
  live(scope: Scope, asOf: number, londonDate: string): Promise<LiveFigures>;
  /** The newest event time (epoch ms) applied for the scope now, or null if none. */
  freshness(scope: Scope): Promise<number | null>;
  /** The scope's trusts on londonDate whose newest event (now) is at or after `since`. */
  completeness(
    scope: Scope,
    asOf: number,
    londonDate: string,
    since: number,
  ): Promise<Completeness>;
  /**
   * What `freshness` and `completeness` read, for every scope at once: one read, however many
   * scopes then ask it (cheaper than per-scope reads from two scopes on).
   */
  freshView(): Promise<FreshView>;
}

export interface AppDeps {
  refdata: RefData;
  figures: FiguresSource;
  /** What /readyz checks (in main: Redis answers, the partition count covers the topic). */
  readiness: readonly ReadinessCheck[];
  /** The root logger; Fastify logs requests through a child of it. */
  logger: Logger;
  /** The change log the push feed follows; without it /stream and /changes answer 503. */
  changeLog?: ChangeLog;
  /** Wall-clock time in epoch ms; the default `asOf`. */
  now?: () => number;
  /** Verifies Authorization headers (auth/verifier.ts's createVerifier). */
  verify: Verifier;
  /**
   * Where per-client limits are kept, shared by every replica: request counts (with
   * config.rateLimits) and concurrent streams' leases. Redis and the key prefix (`<KEY_PREFIX>`).
   */
  limitStore?: { redis: Redis; prefix: string };
  /**
   * Disclosure control of the public tier's trees, run on the event loop (tests). Default:
   * @pulse/disclosure's (src/disclosure.ts), in worker threads (src/tree-builder.ts).
   */
  disclosure?: TreeControl;
}
