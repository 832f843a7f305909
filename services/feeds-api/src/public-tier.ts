// The public tier below national level: every region, ICB and trust is served from ONE
// disclosure-controlled tree of England's whole structure (England → regions → ICBs → trusts on
// the day) per read, so that a reader who collects a trust's, its ICB's, its siblings' and its
// region's responses holds a subset of one decision that @pulse/disclosure audited together, and
// cannot recover a suppressed value by differencing them (docs/disclosure.md).
//
// Reads. The trusts' figures are read at one instant and every parent is their sum on the day's
// structure (sumParts): the tree's parent = sum of children relations then hold exactly, which
// separate reads of each scope would not while events arrive (a relation that does not hold is
// not audited, and differencing it would then leak).
//
// Cost and bounds. Controlling the whole structure costs about a second of CPU
// (docs/BENCHMARKS.md), spent off the event loop (src/tree-builder.ts: worker threads; this file
// only reads the figures and serves the JSON bodies), and a tree is built once per read instant
// and shared: a public "now"
// snapshot is the tree of the current tick (one per `tickMs`), a snapshot with `asOf` the tree of
// that instant, a series the trees of its metric, interval and range. Concurrent requests for one
// tree share one build (lru-cache's fetch: single flight), the trees held are bounded by a budget
// of body-points (LRU), and at most `maxBuilds` builds run at once per process: one more is a 503.
// A series tree grows with its points x every scope, so the public tier serves sub-national series
// of at most `maxSeriesPoints` points.
import { LRUCache } from 'lru-cache';
import { londonDateOf, scopeKey, type BucketSize, type Scope } from '@pulse/kpi';
import type { RefData } from '@pulse/refdata';
import { ApiError } from './errors.js';
import { storedBeds, storedSeries, type ResolvedMetric } from './metrics.js';
import type { FiguresSource } from './ports.js';
import {
  countKeys,
  packPoints,
  seriesTrusts,
  structureOn,
  trustsOf,
  type BuiltTree,
  type SeriesBody,
} from './public-trees.js';
import type { Snapshot } from './schemas/snapshot.js';
import type { ScopeInfo } from './scopes.js';
import { readSnapshotParts } from './snapshot.js';
import { checkSeriesRange } from './series.js';
import type { TreeBuilder } from './tree-builder.js';
import type { Gate } from './work-limits.js';

export type { SeriesBody, TreeControl } from './public-trees.js';

export interface PublicTierOptions {
  /** The figures, not gated per read: a build is gated as a whole (`gate`). */
  figures: FiguresSource;
  refdata: RefData;
  now: () => number;
  /** Computes the controlled trees from the figures read (src/tree-builder.ts). */
  builder: TreeBuilder;
  /** Tree builds at once; one more is a 503 BUSY. */
  gate: Gate;
  /** A public "now" snapshot is the tree of floor(now / tickMs): rebuilt at most this often. */
  tickMs: number;
  /** Most points of a public sub-national series. */
  maxSeriesPoints: number;
  /** Trees held, in bodies x points (a snapshot body counts SNAPSHOT_WEIGHT). */
  cacheBudget: number;
  retryAfterSeconds?: number;
}

export interface ControlledSnapshot {
  body: Snapshot;
  etag: string;
}

export interface PublicTier {
  /** The controlled snapshot of a sub-national scope, now (the tick's tree) or as of `asOf`. */
  snapshot(scope: Scope, asOf: number | undefined): Promise<ControlledSnapshot>;
  /** The controlled series of a sub-national scope over [from, to). */
  series(
    scope: Scope,
    info: ScopeInfo,
    metric: ResolvedMetric,
    interval: BucketSize,
    from: number,
    to: number,
  ): Promise<SeriesBody>;
  /** Trees held (for tests and metrics). */
  readonly size: number;
  /** Most points of a public sub-national series. */
  readonly maxSeriesPoints: number;
  /** A "now" snapshot is of the tree of floor(now / tickMs). */
  readonly tickMs: number;
}

/** The default budget: about 8 snapshot trees, or 400 points of every scope (tens of MB). */
export const DEFAULT_CACHE_BUDGET = 100_000;

export function createPublicTier(options: PublicTierOptions): PublicTier {
  const { figures, refdata, now, builder, gate, tickMs, maxSeriesPoints } = options;
  const retryAfter = options.retryAfterSeconds ?? 1;
  for (const [name, value] of Object.entries({ tickMs, maxSeriesPoints })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be >= 1`);
  }
  /** A built tree; a body is parsed from its JSON once, when first served. */
  type Entry = BuiltTree & { parsed: Map<string, unknown> };
  const cache = new LRUCache<string, Entry, () => Promise<BuiltTree>>({
    maxSize: options.cacheBudget,
    sizeCalculation: (entry) => Math.max(1, entry.weight),
    fetchMethod: async (_key, _stale, { context }) => ({ ...(await context()), parsed: new Map() }),
  });

  /** The entry for key, built once (concurrent callers share the build), within the gate. */
  async function tree(key: string, build: () => Promise<BuiltTree>): Promise<Entry> {
    const gated = async () => {
      const release = gate.enter();
      if (!release) {
        throw new ApiError(
          'BUSY',
          'The public tier is building its disclosure-controlled figures for other requests; ' +
            `retry after ${retryAfter} s.`,
          { headers: { 'retry-after': String(retryAfter) } },
        );
      }
      try {
        return await build();
      } finally {
        release();
      }
    };
    const entry = await cache.fetch(key, { context: gated });
    // fetchMethod never resolves undefined: it returns an entry or throws.
    return entry!;
  }

  /** The trusts' figures at one instant (every parent is their sum), controlled by the builder. */
  async function buildSnapshots(asOf: number): Promise<BuiltTree> {
    const londonDate = londonDateOf(asOf);
    const parts = await Promise.all(
      trustsOf(structureOn(refdata, londonDate)).map(
        async (t) =>
          [
            scopeKey(t.scope),
            await readSnapshotParts(figures, t.scope, t.info, asOf, londonDate),
          ] as const,
      ),
    );
    return builder.snapshot({ asOf, parts });
  }

  /** Every trust of any of the range's structures, read once over the whole range. */
  async function buildSeries(
    metric: ResolvedMetric,
    interval: BucketSize,
    from: number,
    to: number,
  ): Promise<BuiltTree> {
    const asOf = now();
    const keys = countKeys(metric);
    const read = (scope: Scope) =>
      metric.kind === 'beds'
        ? storedBeds(figures, scope, interval, from, to)
        : storedSeries(figures, metric, scope, interval, from, to);
    const points = await Promise.all(
      seriesTrusts(refdata, interval, from, to).map(
        async (t) => [scopeKey(t.scope), packPoints(await read(t.scope), keys)] as const,
      ),
    );
    return builder.series({ metric: metric.name, interval, from, to, asOf, points });
  }

  /** A scope's body of a tree, parsed once. */
  function bodyOf(entry: Entry, scope: Scope): { body: unknown; etag?: string } {
    const key = scopeKey(scope);
    const built = entry.bodies.get(key);
    // scopeOn / scopeBetween admitted the scope on the dates read, so their structure has it,
    // bar a gap in the data.
    if (built === undefined) throw notInStructure(scope);
    let body = entry.parsed.get(key);
    if (body === undefined) entry.parsed.set(key, (body = JSON.parse(built.json)));
    return { body, etag: built.etag };
  }

  return {
    async snapshot(scope, asOf) {
      const at = asOf ?? now();
      // "now" is the tick's tree, of the tick's London date (a tick may straddle midnight).
      const key =
        asOf === undefined ? `now:${londonDateOf(at)}:${Math.floor(at / tickMs)}` : `asOf:${asOf}`;
      const { body, etag } = bodyOf(await tree(`snapshot:${key}`, () => buildSnapshots(at)), scope);
      return { body: body as Snapshot, etag: etag! };
    },

    async series(scope, _info, metric, interval, from, to) {
      checkSeriesRange(interval, from, to, maxSeriesPoints);
      const key = `series:${metric.name}:${interval}:${from}:${to}:${Math.floor(now() / tickMs)}`;
      const entry = await tree(key, () => buildSeries(metric, interval, from, to));
      return bodyOf(entry, scope).body as SeriesBody;
    },

    get size() {
      return cache.size;
    },
    maxSeriesPoints,
    tickMs,
  };
}

function notInStructure(scope: Scope): ApiError {
  return new ApiError(
    'NOT_IN_FORCE',
    `${scopeKey(scope)} has no place in England's structure on the dates read (no ICB or region).`,
  );
}
