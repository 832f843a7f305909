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
// (docs/BENCHMARKS.md), so a tree is built once per read instant and shared: a public "now"
// snapshot is the tree of the current tick (one per `tickMs`), a snapshot with `asOf` the tree of
// that instant, a series the trees of its metric, interval and range. Concurrent requests for one
// tree share one build (lru-cache's fetch: single flight), the trees held are bounded by a budget
// of body-points (LRU), and at most `maxBuilds` builds run at once per process: one more is a 503.
// A series tree grows with its points x every scope, so the public tier serves sub-national series
// of at most `maxSeriesPoints` points.
import { LRUCache } from 'lru-cache';
import {
  addSplit,
  bucketForId,
  bucketsBetween,
  emptySplit,
  londonDateOf,
  scopeKey,
  type BucketSize,
  type Scope,
  type Split,
} from '@pulse/kpi';
import {
  DisclosureError,
  type ControlledSeries,
  type Family,
  type Suppression,
} from '@pulse/disclosure';
import { expectedFor, honestPoints, type HonestPoint, type StoredPoint } from './honest-series.js';
import { storedSeries, type ResolvedMetric } from './metrics.js';
import type { RefData } from '@pulse/refdata';
import { ApiError } from './errors.js';
import { bodyEtag } from './plugins/http-cache.js';
import type { FiguresSource } from './ports.js';
import type { Snapshot } from './schemas/snapshot.js';
import type { ScopeInfo } from './scopes.js';
import { composeSnapshot, readSnapshotParts, sumParts, type SnapshotParts } from './snapshot.js';
import { snapshotEtag } from './etag.js';
import { checkSeriesRange } from './series.js';
import { iso } from './time.js';
import type { Gate } from './work-limits.js';

/** A series body as the series route serves it, exact or controlled (@pulse/disclosure's form). */
export type SeriesBody = ControlledSeries & Record<string, unknown>;

/**
 * A point of a public series: its value and whether it is open (as the exact tier). Its coverage
 * is null: which providers reported, beside England's exact figure, gives a lone reporter's exact
 * count away (docs/disclosure.md), so it is shown only on the exact tiers.
 */
type PublicPoint = SeriesBody['points'][number] & { coverage: null; open: boolean };

/** Controls whole trees (default @pulse/disclosure's, src/disclosure.ts). */
export interface TreeControl {
  snapshotTree(tree: Family<Snapshot>): Family<Snapshot>;
  seriesTree(tree: Family<SeriesBody>): Family<SeriesBody>;
}

export interface PublicTierOptions {
  /** The figures, not gated per read: a build is gated as a whole (`gate`). */
  figures: FiguresSource;
  refdata: RefData;
  now: () => number;
  control: TreeControl;
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
}

/** A snapshot body weighs about as much as this many series points (198 counts vs 4). */
export const SNAPSHOT_WEIGHT = 50;

/** The default budget: about 8 snapshot trees, or 400 points of every scope (tens of MB). */
export const DEFAULT_CACHE_BUDGET = 100_000;

interface Node {
  scope: Scope;
  info: ScopeInfo;
  children: Node[];
}

/** England's structure on a London date: regions with an ICB, their ICBs, their trusts. */
export function structureOn(refdata: RefData, date: string): Node {
  const icbs = refdata.icbs(date);
  const regions = refdata.regions(date).map((region) => ({
    scope: { kind: 'region', code: region.code } as Scope,
    info: { kind: 'region' as const, code: region.code, name: region.name },
    children: icbs
      .filter((icb) => icb.regionCode === region.code)
      .map((icb) => ({
        scope: { kind: 'icb', code: icb.code } as Scope,
        info: { kind: 'icb' as const, code: icb.code, name: icb.name },
        children: refdata.trustsInScope({ kind: 'icb', code: icb.code }, date).map((trust) => ({
          scope: { kind: 'trust', code: trust.odsCode } as Scope,
          info: { kind: 'trust' as const, code: trust.odsCode, name: trust.name },
          children: [],
        })),
      })),
  }));
  return {
    scope: { kind: 'england' },
    info: { kind: 'england', name: 'England' },
    children: regions,
  };
}

function nodes(node: Node): Node[] {
  return [node, ...node.children.flatMap(nodes)];
}

function trustsOf(node: Node): Node[] {
  return nodes(node).filter((n) => n.scope.kind === 'trust');
}

/** The bodies of a controlled tree by scope key. */
function byScope<B extends { scope: ScopeInfo }>(tree: Family<B>, into = new Map<string, B>()) {
  const { kind, code } = tree.body.scope;
  into.set(kind === 'england' ? 'e' : scopeKey({ kind, code: code! } as Scope), tree.body);
  for (const child of tree.children ?? []) byScope(child, into);
  return into;
}

export function createPublicTier(options: PublicTierOptions): PublicTier {
  const { figures, refdata, now, control, gate, tickMs, maxSeriesPoints } = options;
  const retryAfter = options.retryAfterSeconds ?? 1;
  for (const [name, value] of Object.entries({ tickMs, maxSeriesPoints })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be >= 1`);
  }
  type Entry = { bodies: Map<string, unknown>; weight: number };
  const cache = new LRUCache<string, Entry, () => Promise<Entry>>({
    maxSize: options.cacheBudget,
    sizeCalculation: (entry) => Math.max(1, entry.weight),
    fetchMethod: (_key, _stale, { context }) => context(),
  });

  /** The entry for key, built once (concurrent callers share the build), within the gate. */
  async function tree(key: string, build: () => Promise<Entry>): Promise<Entry> {
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

  async function buildSnapshots(asOf: number): Promise<Entry> {
    const londonDate = londonDateOf(asOf);
    const root = structureOn(refdata, londonDate);
    const read = new Map<Node, SnapshotParts>();
    await Promise.all(
      trustsOf(root).map(async (t) =>
        read.set(t, await readSnapshotParts(figures, t.scope, t.info, asOf, londonDate)),
      ),
    );
    const partsOf = (node: Node): SnapshotParts =>
      read.get(node) ?? sumParts(node.info, asOf, londonDate, node.children.map(partsOf));
    const family = (node: Node): Family<Snapshot> => {
      const body = composeSnapshot(partsOf(node));
      return node.children.length === 0 ? { body } : { body, children: node.children.map(family) };
    };
    const bodies = new Map<string, unknown>();
    for (const [key, controlled] of byScope(control.snapshotTree(family(root)))) {
      // Which providers reported is shown only on the exact tiers (docs/disclosure.md).
      const completeness = {
        ...controlled.completeness,
        families: null,
        reported: null,
        expected: null,
      };
      // Nor when a scope's newest event was: it dates one patient's event at a small trust, and
      // a newest event before the last hour says the last hour's counts are 0.
      const freshness = { newestEventAt: null, ageSeconds: null };
      const body: Snapshot = { ...controlled, completeness, freshness };
      const etag = bodyEtag(`${snapshotEtag(body)}:controlled`);
      bodies.set(key, { body, etag } satisfies ControlledSnapshot);
    }
    return { bodies, weight: bodies.size * SNAPSHOT_WEIGHT };
  }

  async function buildSeries(
    metric: ResolvedMetric,
    interval: BucketSize,
    from: number,
    to: number,
  ): Promise<Entry> {
    const asOf = now();
    const { family } = metric;
    const buckets = bucketsBetween(interval, from, to).map((id) => bucketForId(interval, id));
    // The structure of each point's London date; consecutive points on one structure are
    // controlled as one tree (points are independent: no relation joins two buckets).
    const shapes = new Map<string, { root: Node; shape: string }>();
    const structure = (at: number) => {
      const date = londonDateOf(at);
      let s = shapes.get(date);
      if (!s) {
        const root = structureOn(refdata, date);
        const shape = nodes(root)
          .map((n) => `${scopeKey(n.scope)}<${n.children.length}`)
          .join();
        s = { root, shape };
        shapes.set(date, s);
      }
      return s;
    };
    // Every trust of any of the range's structures, read once over the whole range.
    const trusts = new Map<string, Node>();
    for (const b of buckets) {
      for (const t of trustsOf(structure(b.start).root)) trusts.set(scopeKey(t.scope), t);
    }
    const read = new Map<string, StoredPoint<Split>[]>();
    await Promise.all(
      [...trusts].map(async ([key, t]) => {
        read.set(key, await storedSeries(figures, metric, t.scope, interval, from, to));
      }),
    );
    const bodies = new Map<string, SeriesBody>();
    const bodyOf = (info: ScopeInfo): SeriesBody => ({
      scope: info,
      metric: metric.name,
      unit: metric.unit,
      family,
      asOf: iso(asOf),
      interval,
      from: iso(buckets[0]?.start ?? from),
      to: iso(buckets.at(-1)?.end ?? to),
      points: [],
      disclosure: 'controlled',
      suppressed: [],
    });
    for (let start = 0; start < buckets.length;) {
      const { root, shape } = structure(buckets[start]!.start);
      let end = start + 1;
      while (end < buckets.length && structure(buckets[end]!.start).shape === shape) end++;
      const slice = buckets.slice(start, end);
      /** A scope's stored points over the slice: a trust's as read, a parent's the sums. */
      const storedOf = (node: Node): StoredPoint<Split>[] => {
        if (node.scope.kind === 'trust') return read.get(scopeKey(node.scope))!.slice(start, end);
        const kids = node.children.map(storedOf);
        return slice.map((bucket, i) => {
          const value = emptySplit();
          let reported = 0;
          for (const kid of kids) {
            addSplit(value, kid[i]!.value);
            reported += kid[i]!.reported;
          }
          return { bucket, value, reported };
        });
      };
      const honest = new Map<Node, HonestPoint<Split>[]>();
      const family_ = (node: Node): Family<SeriesBody> => {
        const stored = storedOf(node);
        const points = honestPoints(stored, asOf, expectedFor(refdata, node.scope, metric));
        honest.set(node, points);
        const body: SeriesBody = {
          ...bodyOf(node.info),
          // The control sees every true count; a point the exact tier shows as null (no provider
          // reported, or the future) is 0 and known to readers as such (`known`).
          points: stored.map((p, i) => ({
            start: iso(p.bucket.start),
            end: iso(p.bucket.end),
            value: p.value,
            known: points[i]!.value === null,
          })),
        };
        return node.children.length === 0
          ? { body }
          : { body, children: node.children.map(family_) };
      };
      const tree = family_(root);
      const { controlled, hidden } = controlOrHide(tree);
      const byNode = new Map<string, Node>(nodes(root).map((n) => [scopeKey(n.scope), n]));
      for (const [key, part] of byScope(controlled)) {
        const body = bodies.get(key) ?? bodyOf(part.scope);
        const points = honest.get(byNode.get(key)!)!;
        part.points.forEach((point, i) => {
          const h = points[i]!;
          // Hidden (below national level), a bucket nobody reported is hidden too: shown null,
          // it would tell which scopes reported, and so whose count England's exact figure is.
          // Only the future, which every reader knows, stays null.
          const unknown = h.value === null && !(hidden && key !== 'e' && h.bucket.start <= asOf);
          const shown: PublicPoint = {
            start: point.start,
            end: point.end,
            value: unknown ? null : published(point.value, metric),
            coverage: null,
            open: h.open,
          };
          body.points[start + i] = shown;
        });
        for (const s of part.suppressed) {
          const path = s.path.replace(
            /^\/points\/(\d+)/,
            (_, i: string) => `/points/${start + Number(i)}`,
          );
          // A point shown null (nothing known of it) has no value to suppress.
          if (body.points[pointOf({ path, reason: s.reason })]!.value === null) continue;
          body.suppressed.push({ path, reason: s.reason });
        }
        bodies.set(key, body);
      }
      start = end;
    }
    // A point of a day whose structure lacks the scope (not in force that day): nothing is
    // attributed to it there; shown as the exact tier shows an unreported bucket (null).
    for (const [key, body] of bodies) {
      const own = read.get(key);
      buckets.forEach((b, i) => {
        if (body.points[i] !== undefined) return;
        const stored = own?.[i];
        if (stored && stored.value.total > 0) {
          for (const group of ['child', 'adult', 'unknown', 'total'])
            body.suppressed.push({ path: `/points/${i}/value/${group}`, reason: 'suppressed' });
        }
        const missing: PublicPoint = {
          start: iso(b.start),
          end: iso(b.end),
          value:
            stored && stored.value.total > 0
              ? { child: null, adult: null, unknown: null, total: null }
              : null,
          coverage: null,
          open: asOf >= b.start && asOf < b.end,
        };
        body.points[i] = missing;
      });
      body.suppressed.sort((a, b) => pointOf(a) - pointOf(b));
    }
    return { bodies, weight: bodies.size * Math.max(1, buckets.length) };
  }

  /**
   * The controlled tree; where the control finds a small count that no suppression can protect
   * (pinned by England's exact figure and values readers know, such as unreported buckets), every
   * value below national level is hidden instead (`hidden`).
   */
  function controlOrHide(tree: Family<SeriesBody>): {
    controlled: Family<SeriesBody>;
    hidden: boolean;
  } {
    try {
      return { controlled: control.seriesTree(tree), hidden: false };
    } catch (err) {
      if (!(err instanceof DisclosureError) || err.code !== 'UNPROTECTABLE') throw err;
      const hide = (node: Family<SeriesBody>): Family<SeriesBody> => {
        const national = node.body.scope.kind === 'england';
        const suppressed: SeriesBody['suppressed'] = [];
        const points = node.body.points.map((p, i) => {
          if (national || p.value === null) return p;
          for (const group of ['child', 'adult', 'unknown', 'total'] as const)
            suppressed.push({ path: `/points/${i}/value/${group}`, reason: 'suppressed' });
          return { ...p, value: { child: null, adult: null, unknown: null, total: null } };
        });
        const body = { ...node.body, points, suppressed };
        return node.children ? { body, children: node.children.map(hide) } : { body };
      };
      return { controlled: hide(tree), hidden: true };
    }
  }

  return {
    async snapshot(scope, asOf) {
      const at = asOf ?? now();
      // "now" is the tick's tree, of the tick's London date (a tick may straddle midnight).
      const key =
        asOf === undefined ? `now:${londonDateOf(at)}:${Math.floor(at / tickMs)}` : `asOf:${asOf}`;
      const entry = await tree(`snapshot:${key}`, () => buildSnapshots(at));
      return found(entry, scope) as ControlledSnapshot;
    },

    async series(scope, _info, metric, interval, from, to) {
      checkSeriesRange(interval, from, to, maxSeriesPoints);
      const key = `series:${metric.name}:${interval}:${from}:${to}:${Math.floor(now() / tickMs)}`;
      const entry = await tree(key, () => buildSeries(metric, interval, from, to));
      const body = entry.bodies.get(scopeKey(scope)) as SeriesBody | undefined;
      // scopeBetween admits a scope in force on some date of the range, which has it in its tree.
      if (!body) throw notInStructure(scope);
      return body;
    },

    get size() {
      return cache.size;
    },
    maxSeriesPoints,
  };
}

function found(entry: { bodies: Map<string, unknown> }, scope: Scope): unknown {
  const body = entry.bodies.get(scopeKey(scope));
  // scopeOn admitted the scope on this date, so the day's structure has it, bar a gap in the data.
  if (body === undefined) throw notInStructure(scope);
  return body;
}

function notInStructure(scope: Scope): ApiError {
  return new ApiError(
    'NOT_IN_FORCE',
    `${scopeKey(scope)} has no place in England's structure on the dates read (no ICB or region).`,
  );
}

/** The point index of a suppression's path, for ordering. */
function pointOf(s: Suppression): number {
  return Number(/^\/points\/(\d+)/.exec(s.path)?.[1] ?? 0);
}

/** A controlled split in the metric's unit: counts as they are; a split with a null stays so. */
function published(value: SeriesBody['points'][number]['value'], metric: ResolvedMetric) {
  if (value === null || Object.values(value).some((v) => v === null)) return value;
  return metric.convert(value as Split, false);
}
