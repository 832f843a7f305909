// What the routes need from the outside world, as small interfaces. buildApp takes them in `deps`,
// so routes are tested against real Redis through the real reader, and nothing else leaks in.
import type { BedFigures, BucketSize, CounterFigures, GaugeFigures, Scope } from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
import type { RefData } from '@pulse/refdata';
import type { Redis } from '@pulse/redis';
import type { ReadinessCheck } from '@pulse/service';
import type { FigureReader } from '@pulse/store';
import type { ChangeLog } from './stream/change-log.js';
import type { Verifier } from './auth/verifier.js';
import type { TreeControl } from './public-tier.js';

/** Live gauges and bed figures of a scope, as of an instant. */
export interface LiveFigures {
  gauges: GaugeFigures;
  beds: BedFigures;
}

/** Providers of a scope that reported recently, out of those expected on the day. */
export interface Completeness {
  reported: number;
  expected: number;
}

/** Reads the aggregator's figures (the @pulse/store reader, merged over partitions). */
export interface FiguresSource {
  /** Counter figures of a scope summed over the given buckets of one size. */
  counters(scope: Scope, size: BucketSize, bucketIds: readonly string[]): Promise<CounterFigures>;
  /** One figure per bucket covering [from, to), in time order (zeros where nothing counted). */
  counterSeries: FigureReader['counterSeries'];
  /**
   * Gauges summed over the scope's trusts on londonDate: the current open sets and bed snapshots;
   * asOf moves only the over-12h / 18w / 52w / 65w thresholds.
   */
  live(scope: Scope, asOf: number, londonDate: string): Promise<LiveFigures>;
  /** The newest event time (epoch ms) applied for the scope now, or null if none. */
  freshness(scope: Scope): Promise<number | null>;
  /** The scope's expected trusts on londonDate whose newest event (now) is at or after asOf − 1 h. */
  completeness(scope: Scope, asOf: number, londonDate: string): Promise<Completeness>;
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
  /** Disclosure control of the public tier's trees (default @pulse/disclosure's, src/disclosure.ts). */
  disclosure?: TreeControl;
}
