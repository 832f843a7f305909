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
// and shared: a public "now" snapshot is the tree of the current tick (one per `tickMs`), a
// snapshot with `asOf` the tree of that instant, a series the trees of its metric, interval and
// range. Concurrent requests for one tree share one build (lru-cache's fetch: single flight), the
// trees held are bounded by a budget of body-points (LRU), and at most `maxBuilds` builds run at
// once per process: one more is a 503. A series tree grows with its points x every scope, so the
// public tier serves sub-national series of at most `maxSeriesPoints` points.
//
// Stale while revalidating. A "now" read in a tick whose tree is not built yet is served the last
// "now" tree built on the same London date at once (its `asOf` says when its figures were read)
// and starts the tick's build; only the first read of a London date, or a caller that asks for the
// tick's own tree, waits for a build.
//
// The "now" trees are never starved. Besides the `maxBuilds` slots every build shares, a "now"
// build has one slot of its own: a page's series requests that fill the shared gate cannot keep
// the tick's snapshot tree from being built, and a "now" build is refused only while another "now"
// build runs (whose tree is then the newest). The public push feed (src/stream/public-feed.ts)
// never waits for a build: it asks for the tick's tree to be built (refresh) and is told of each
// newer "now" tree built, whoever asked for it (onTree).
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { londonDateOf, scopeKey, type BucketSize, type Scope } from '@pulse/kpi';
import type { Logger } from '@pulse/logging';
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
  type BuiltBody,
  type BuiltTree,
  type SeriesBody,
} from './public-trees.js';
import type { Snapshot } from './schemas/snapshot.js';
import type { ScopeInfo } from './scopes.js';
import { readSnapshotParts } from './snapshot.js';
import { checkSeriesRange } from './series.js';
import type { TreeBuilder } from './tree-builder.js';
import { createGate, type Gate } from './work-limits.js';

export type { SeriesBody, TreeControl } from './public-trees.js';

export interface PublicTierOptions {
  /** The figures, not gated per read: a build is gated as a whole (`gate`). */
  figures: FiguresSource;
  refdata: RefData;
  now: () => number;
  /** Computes the controlled trees from the figures read (src/tree-builder.ts). */
  builder: TreeBuilder;
  /** Tree builds at once; one more is a 503 BUSY ("now" trees have one more slot of their own). */
  gate: Gate;
  /** A public "now" snapshot is the tree of floor(now / tickMs): rebuilt at most this often. */
  tickMs: number;
  /** Most points of a public sub-national series. */
  maxSeriesPoints: number;
  /** Trees held, in bodies x points (a snapshot body counts SNAPSHOT_WEIGHT). */
  cacheBudget: number;
  retryAfterSeconds?: number;
  /** Where a failed build started in the background (stale served meanwhile) is reported. */
  logger?: Logger;
  /** Trusts whose figures are read at once while a tree is built (default READS_AT_ONCE). */
  readsAtOnce?: number;
}

/**
 * Trusts read at once for a tree. A trust's snapshot is about a hundred Redis commands (every
 * partition, every bucket), issued and answered on the event loop: England's ~200 trusts at once
 * kept it busy for 0.2 to 0.4 s at a stretch (an idle machine; longer under load), where a few
 * at a time keeps each stretch to a few ms and the whole read about as fast (Redis answers them in
 * order anyway).
 */
export const READS_AT_ONCE = 8;

/**
 * A controlled body as its tree holds it: JSON text, which a JSON response sends as it is (no
 * serializer: fast-json-stringify would first compile a validator of the whole response schema
 * for its unions, seconds of the event loop on a route's first response), and parsed once when
 * an object is needed (CSV, a series list, a narrowed stream).
 */
export interface ControlledBody<B> {
  readonly body: B;
  json: string;
}

export interface ControlledSnapshot extends ControlledBody<Snapshot> {
  etag: string;
  /** When the tree's figures were read (the body's `asOf`). */
  asOf: number;
}

/** The controlled tree of one "now" tick: every scope's snapshot from one decision. */
export interface NowTree {
  /** floor(asOf / tickMs). */
  tick: number;
  /** When its figures were read (every body's `asOf`). */
  asOf: number;
  /** A scope's controlled snapshot (NOT_IN_FORCE if the tree's structure lacks the scope). */
  snapshot(scope: Scope): ControlledSnapshot;
  /** The same as its JSON text, not parsed (the push feed writes it as it is). */
  text(scope: Scope): { json: string; etag: string };
}

export interface PublicTier {
  /**
   * The controlled snapshot of a sub-national scope, now (the tick's tree, or while it builds the
   * last one built today) or as of `asOf`.
   */
  snapshot(scope: Scope, asOf: number | undefined): Promise<ControlledSnapshot>;
  /**
   * The "now" tree: the current tick's once built; while it builds, the last one built on the same
   * London date (stale while revalidating). With `fresh`, always the current tick's (waited for).
   */
  current(fresh?: boolean): Promise<NowTree>;
  /** The controlled series of a sub-national scope over [from, to). */
  series(
    scope: Scope,
    info: ScopeInfo,
    metric: ResolvedMetric,
    interval: BucketSize,
    from: number,
    to: number,
  ): Promise<ControlledBody<SeriesBody>>;
  /** The newest "now" tree built on today's London date, if any (never waits, never builds). */
  latest(): NowTree | undefined;
  /**
   * Starts building the current tick's "now" tree unless it is built or being built; does not
   * wait. A failure is logged; the next call tries again.
   */
  refresh(): void;
  /** Calls `listener` with each newer "now" tree once built; returns the function that stops it. */
  onTree(listener: (tree: NowTree) => void): () => void;
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
  const readsAtOnce = options.readsAtOnce ?? READS_AT_ONCE;
  for (const [name, value] of Object.entries({ tickMs, maxSeriesPoints, readsAtOnce })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be >= 1`);
  }
  /** A built tree; a body is parsed from its JSON once, when first served. */
  type Entry = BuiltTree & { parsed: Map<string, unknown> };
  const cache = new LRUCache<string, Entry, () => Promise<BuiltTree>>({
    maxSize: options.cacheBudget,
    sizeCalculation: (entry) => Math.max(1, entry.weight),
    fetchMethod: async (_key, _stale, { context }) => ({ ...(await context()), parsed: new Map() }),
  });

  /** The "now" trees' own slot, beside the shared gate. */
  const nowSlot = createGate(1);

  /**
   * The entry for key, built once (concurrent callers share the build), within the gate; a "now"
   * tree may take its own slot when the gate is full.
   */
  async function tree(key: string, build: () => Promise<BuiltTree>, isNow = false): Promise<Entry> {
    const gated = async () => {
      const release = gate.enter() ?? (isNow ? nowSlot.enter() : undefined);
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
    const limit = pLimit(readsAtOnce);
    const parts = await Promise.all(
      trustsOf(structureOn(refdata, londonDate)).map((t) =>
        limit(
          async () =>
            [
              scopeKey(t.scope),
              await readSnapshotParts(figures, t.scope, t.info, asOf, londonDate),
            ] as const,
        ),
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
    const limit = pLimit(readsAtOnce);
    const points = await Promise.all(
      seriesTrusts(refdata, interval, from, to).map((t) =>
        limit(async () => [scopeKey(t.scope), packPoints(await read(t.scope), keys)] as const),
      ),
    );
    return builder.series({ metric: metric.name, interval, from, to, asOf, points });
  }

  /** A scope's controlled snapshot of a snapshot tree. */
  function snapshotOf(entry: Entry, scope: Scope): ControlledSnapshot {
    const { json, etag } = builtOf(entry, scope);
    return {
      get body() {
        return bodyOf(entry, scope) as Snapshot;
      },
      json,
      etag: etag!,
      asOf: entry.asOf,
    };
  }

  /** The newest "now" tree built: its London date and tick. */
  let latest: { date: string; tree: NowTree } | undefined;
  const listeners = new Set<(tree: NowTree) => void>();

  /** The tick's tree of `at` (of the tick's London date: a tick may straddle midnight). */
  async function nowTree(at: number): Promise<NowTree> {
    const date = londonDateOf(at);
    const tick = Math.floor(at / tickMs);
    const entry = await tree(`snapshot:now:${date}:${tick}`, () => buildSnapshots(at), true);
    const built: NowTree = {
      tick,
      asOf: entry.asOf,
      snapshot: (scope) => snapshotOf(entry, scope),
      text: (scope) => {
        const { json, etag } = builtOf(entry, scope);
        return { json, etag: etag! };
      },
    };
    if (!latest || latest.date < date || (latest.date === date && latest.tree.tick < tick)) {
      latest = { date, tree: built };
      for (const listener of listeners) {
        try {
          listener(built);
        } catch (err) {
          options.logger?.error({ err }, 'public tier: a listener of new trees failed');
        }
      }
    }
    return built;
  }

  /** A failed build nobody waits for: the gate full is load (debug), anything else a fault. */
  function unwaited(building: Promise<unknown>): void {
    building.catch((err: unknown) => {
      const busy = err instanceof ApiError && err.code === 'BUSY';
      options.logger?.[busy ? 'debug' : 'warn'](
        { err },
        'public tier: building the tick’s tree failed; serving the last',
      );
    });
  }

  /** The newest "now" tree built, if it is of `at`'s London date. */
  const latestOn = (at: number) => (latest?.date === londonDateOf(at) ? latest.tree : undefined);

  async function current(fresh = false): Promise<NowTree> {
    const at = now();
    const last = latestOn(at);
    const tick = Math.floor(at / tickMs);
    if (last?.tick === tick) return last;
    const building = nowTree(at);
    if (fresh || !last || last.tick > tick) return building;
    // Served stale: the build goes on for the next reader; a failure (the gate full, Redis) is
    // only logged, and the next read starts another.
    unwaited(building);
    return last;
  }

  /** A scope's body of a tree as built (JSON text). */
  function builtOf(entry: Entry, scope: Scope): BuiltBody {
    const built = entry.bodies.get(scopeKey(scope));
    // scopeOn / scopeBetween admitted the scope on the dates read, so their structure has it,
    // bar a gap in the data.
    if (built === undefined) throw notInStructure(scope);
    return built;
  }

  /** A scope's body of a tree, parsed once. */
  function bodyOf(entry: Entry, scope: Scope): unknown {
    const key = scopeKey(scope);
    let body = entry.parsed.get(key);
    if (body === undefined) entry.parsed.set(key, (body = JSON.parse(builtOf(entry, scope).json)));
    return body;
  }

  return {
    async snapshot(scope, asOf) {
      if (asOf === undefined) return (await current(false)).snapshot(scope);
      const entry = await tree(`snapshot:asOf:${asOf}`, () => buildSnapshots(asOf));
      return snapshotOf(entry, scope);
    },

    current,

    latest: () => latestOn(now()),

    refresh() {
      const at = now();
      if ((latestOn(at)?.tick ?? -Infinity) >= Math.floor(at / tickMs)) return;
      unwaited(nowTree(at));
    },

    onTree(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async series(scope, _info, metric, interval, from, to) {
      checkSeriesRange(interval, from, to, maxSeriesPoints);
      const key = `series:${metric.name}:${interval}:${from}:${to}:${Math.floor(now() / tickMs)}`;
      const entry = await tree(key, () => buildSeries(metric, interval, from, to));
      return {
        get body() {
          return bodyOf(entry, scope) as SeriesBody;
        },
        json: builtOf(entry, scope).json,
      };
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
