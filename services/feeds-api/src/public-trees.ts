// The public tier's trees, computed: from figures already read (src/public-tier.ts reads them) to
// the disclosure-controlled body of every scope of England's structure, each as its JSON text.
// Pure, apart from the reference data, so it runs where the CPU is cheapest to spend: in a worker
// thread by default (src/tree-builder.ts), never on the event loop of a server answering requests.
//
// Inputs and outputs are what crosses a thread boundary cheaply: a series' trust points packed
// into one Float64Array per trust (pointFields numbers a point), bodies out as strings.
import {
  AGE_GROUPS,
  BED_FIGURES,
  bucketForId,
  bucketsBetween,
  londonDateOf,
  scopeKey,
  type BedFigure,
  type BucketSize,
  type Scope,
  type Split,
} from '@pulse/kpi';
import {
  DisclosureError,
  type ControlledSeries,
  type Family,
  type PointCounts,
  type Suppression,
} from '@pulse/disclosure';
import type { RefData } from '@pulse/refdata';
import { snapshotEtag } from './etag.js';
import { expectedFor, honestPoints, type HonestPoint, type StoredPoint } from './honest-series.js';
import { resolveMetric, type BedsMetric, type ResolvedMetric } from './metrics.js';
import { bodyEtag } from './plugins/http-cache.js';
import type { Snapshot } from './schemas/snapshot.js';
import type { ScopeInfo } from './scopes.js';
import { seriesHeader } from './series.js';
import { composeSnapshot, sumParts, type SnapshotParts } from './snapshot.js';
import { iso } from './time.js';

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

/** A snapshot body weighs about as much as this many series points (198 counts vs 4). */
export const SNAPSHOT_WEIGHT = 50;

/**
 * The counts a metric's stored point holds, in packing order: its age split (child, adult,
 * unknown, total), or for a G&A beds metric the beds open and occupied (served as one number).
 */
export function countKeys(metric: ResolvedMetric): readonly string[] {
  return metric.kind === 'beds' ? BED_FIGURES : [...AGE_GROUPS, 'total'];
}

/** A stored point's counts by countKeys. */
type Counts = Record<string, number>;

/** Numbers a packed point takes: its counts, then the providers reported. */
const pointFields = (keys: readonly string[]) => keys.length + 1;

/** The trusts' snapshot parts read at one instant, by scope key. */
export interface SnapshotTreeInput {
  asOf: number;
  parts: readonly (readonly [string, SnapshotParts])[];
}

/** The trusts' stored points of one figure over [from, to), packed (packPoints), by scope key. */
export interface SeriesTreeInput {
  metric: string;
  interval: BucketSize;
  from: number;
  to: number;
  /** When the series is read: open and future buckets. */
  asOf: number;
  points: readonly (readonly [string, Float64Array<ArrayBuffer>])[];
}

/** One scope's controlled body as JSON text (a snapshot's with its ETag). */
export interface BuiltBody {
  json: string;
  etag?: string;
}

/** Every scope's controlled body, and the tree's weight. */
export interface BuiltTree {
  bodies: Map<string, BuiltBody>;
  weight: number;
  /** When the figures were read (the bodies' asOf). */
  asOf: number;
}

export interface Node {
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

export function nodes(node: Node): Node[] {
  return [node, ...node.children.flatMap(nodes)];
}

export function trustsOf(node: Node): Node[] {
  return nodes(node).filter((n) => n.scope.kind === 'trust');
}

/** The trusts of every London date's structure in the series range [from, to). */
export function seriesTrusts(
  refdata: RefData,
  interval: BucketSize,
  from: number,
  to: number,
): Node[] {
  const dates = new Set(
    bucketsBetween(interval, from, to).map((id) => bucketStartDate(interval, id)),
  );
  const trusts = new Map<string, Node>();
  for (const date of dates) {
    for (const t of trustsOf(structureOn(refdata, date))) trusts.set(scopeKey(t.scope), t);
  }
  return [...trusts.values()];
}

function bucketStartDate(interval: BucketSize, id: string): string {
  return londonDateOf(bucketForId(interval, id).start);
}

/** The bodies of a controlled tree by scope key. */
function byScope<B extends { scope: ScopeInfo }>(tree: Family<B>, into = new Map<string, B>()) {
  const { kind, code } = tree.body.scope;
  into.set(kind === 'england' ? 'e' : scopeKey({ kind, code: code! } as Scope), tree.body);
  for (const child of tree.children ?? []) byScope(child, into);
  return into;
}

/** Every scope's controlled snapshot of the instant the trusts' parts were read at. */
export function buildSnapshotTree(
  refdata: RefData,
  control: TreeControl,
  input: SnapshotTreeInput,
): BuiltTree {
  const { asOf } = input;
  const londonDate = londonDateOf(asOf);
  const root = structureOn(refdata, londonDate);
  const read = new Map(input.parts);
  const partsOf = (node: Node): SnapshotParts =>
    read.get(scopeKey(node.scope)) ??
    sumParts(node.info, asOf, londonDate, node.children.map(partsOf));
  const family = (node: Node): Family<Snapshot> => {
    const body = composeSnapshot(partsOf(node));
    return node.children.length === 0 ? { body } : { body, children: node.children.map(family) };
  };
  const bodies: BuiltTree['bodies'] = new Map();
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
    bodies.set(key, { json: JSON.stringify(body), etag });
  }
  return { bodies, weight: bodies.size * SNAPSHOT_WEIGHT, asOf };
}

/** Stored points of one scope, packed for a thread boundary: its counts by keys, then reported. */
export function packPoints(
  points: readonly StoredPoint<object>[],
  keys: readonly string[],
): Float64Array<ArrayBuffer> {
  const width = pointFields(keys);
  const packed = new Float64Array(points.length * width);
  points.forEach(({ value, reported }, i) => {
    const counts = value as Counts;
    packed.set([...keys.map((k) => counts[k]!), reported], i * width);
  });
  return packed;
}

function unpackPoint(
  packed: Float64Array,
  i: number,
  keys: readonly string[],
): { value: Counts; reported: number } {
  const at = i * pointFields(keys);
  const value: Counts = {};
  keys.forEach((k, j) => (value[k] = packed[at + j]!));
  return { value, reported: packed[at + keys.length]! };
}

const nullCounts = (keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, null])) as unknown as PointCounts;

/** Every scope's controlled series of one metric over [from, to), read at `asOf`. */
export function buildSeriesTree(
  refdata: RefData,
  control: TreeControl,
  input: SeriesTreeInput,
): BuiltTree {
  const { interval, from, to, asOf } = input;
  const metric = resolveMetric(input.metric);
  const keys = countKeys(metric);
  const buckets = bucketsBetween(interval, from, to).map((id) => bucketForId(interval, id));
  const packed = new Map(input.points);
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
  const bodies = new Map<string, SeriesBody>();
  const bodyOf = (info: ScopeInfo): SeriesBody => ({
    ...seriesHeader(info, metric, asOf, interval, {
      first: buckets[0]?.start,
      last: buckets.at(-1)?.end,
      from,
      to,
    }),
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
    const storedOf = (node: Node): StoredPoint<Counts>[] => {
      if (node.scope.kind === 'trust') {
        const own = packed.get(scopeKey(node.scope))!;
        return slice.map((bucket, i) => ({ bucket, ...unpackPoint(own, start + i, keys) }));
      }
      const kids = node.children.map(storedOf);
      return slice.map((bucket, i) => {
        const value: Counts = Object.fromEntries(keys.map((k) => [k, 0]));
        let reported = 0;
        for (const kid of kids) {
          for (const k of keys) value[k]! += kid[i]!.value[k]!;
          reported += kid[i]!.reported;
        }
        return { bucket, value, reported };
      });
    };
    const honest = new Map<Node, HonestPoint<Counts>[]>();
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
          value: p.value as unknown as PointCounts,
          known: points[i]!.value === null,
        })),
      };
      return node.children.length === 0 ? { body } : { body, children: node.children.map(family_) };
    };
    const tree = family_(root);
    const { controlled, hidden } = controlOrHide(control, tree, keys);
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
    const own = packed.get(key);
    buckets.forEach((b, i) => {
      if (body.points[i] !== undefined) return;
      const counts = own && unpackPoint(own, i, keys).value;
      const reported = counts !== undefined && keys.some((k) => counts[k]! > 0);
      if (reported) {
        for (const k of keys)
          body.suppressed.push({ path: `/points/${i}/value/${k}`, reason: 'suppressed' });
      }
      const missing: PublicPoint = {
        start: iso(b.start),
        end: iso(b.end),
        value: reported ? nullCounts(keys) : null,
        coverage: null,
        open: asOf >= b.start && asOf < b.end,
      };
      body.points[i] = missing;
    });
    body.suppressed.sort((a, b) => pointOf(a) - pointOf(b));
  }
  const out: BuiltTree['bodies'] = new Map();
  for (const [key, body] of bodies) {
    const served = metric.kind === 'beds' ? bedsBody(body, metric) : body;
    out.set(key, { json: JSON.stringify(served) });
  }
  return { bodies: out, weight: bodies.size * Math.max(1, buckets.length), asOf };
}

/**
 * The controlled tree; where the control finds a small count that no suppression can protect
 * (pinned by England's exact figure and values readers know, such as unreported buckets), every
 * value below national level is hidden instead (`hidden`).
 */
function controlOrHide(
  control: TreeControl,
  tree: Family<SeriesBody>,
  keys: readonly string[],
): { controlled: Family<SeriesBody>; hidden: boolean } {
  try {
    return { controlled: control.seriesTree(tree), hidden: false };
  } catch (err) {
    if (!(err instanceof DisclosureError) || err.code !== 'UNPROTECTABLE') throw err;
    const hide = (node: Family<SeriesBody>): Family<SeriesBody> => {
      const national = node.body.scope.kind === 'england';
      const suppressed: SeriesBody['suppressed'] = [];
      const points = node.body.points.map((p, i) => {
        if (national || p.value === null) return p;
        for (const k of keys)
          suppressed.push({ path: `/points/${i}/value/${k}`, reason: 'suppressed' });
        return { ...p, value: nullCounts(keys) };
      });
      const body = { ...node.body, points, suppressed };
      return node.children ? { body, children: node.children.map(hide) } : { body };
    };
    return { controlled: hide(tree), hidden: true };
  }
}

/** The point index of a suppression's path, for ordering. */
function pointOf(s: Suppression): number {
  return Number(/^\/points\/(\d+)/.exec(s.path)?.[1] ?? 0);
}

/**
 * A controlled split in the metric's unit: counts as they are; a split with a null stays so. A
 * beds metric's counts stay as they are until the body is served (bedsBody).
 */
function published(value: SeriesBody['points'][number]['value'], metric: ResolvedMetric) {
  if (value === null || metric.kind === 'beds' || Object.values(value).some((v) => v === null))
    return value;
  return metric.convert(value as Split, false);
}

/**
 * A beds metric's public body: each point's one number from the controlled beds open and occupied
 * (a count as published; occupancy from the published, rounded, counts, as a snapshot's), and its
 * suppressions at `/points/i/value`: a count's own, occupancy's `derived` when either count is.
 */
function bedsBody(body: SeriesBody, metric: BedsMetric): Record<string, unknown> {
  const hiddenAt = new Map<number, Set<string>>();
  for (const s of body.suppressed) {
    const [, i, key] = /^\/points\/(\d+)\/value\/(.+)$/.exec(s.path) ?? [];
    if (i === undefined || key === undefined) continue;
    const set = hiddenAt.get(Number(i)) ?? new Set<string>();
    hiddenAt.set(Number(i), set.add(key));
  }
  const suppressed: Suppression[] = [];
  const points = body.points.map((point, i) => {
    const hidden = hiddenAt.get(i);
    if (hidden && (metric.name === 'ga_occupancy_pct' || hidden.has(metric.name))) {
      const reason = metric.name === 'ga_occupancy_pct' ? 'derived' : 'suppressed';
      suppressed.push({ path: `/points/${i}/value`, reason });
    }
    const counts = point.value as Record<BedFigure, number | null> | null;
    return { ...point, value: counts === null ? null : metric.value(counts, false) };
  });
  return { ...body, points, suppressed };
}
