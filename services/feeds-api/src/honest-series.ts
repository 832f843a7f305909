// Turning stored buckets into honest series points: each point says how much of it is known.
// A bucket in the future has no value; a bucket no provider of the scope reported the figure's
// family in has no value (null, not 0); every point carries its coverage (providers that reported
// / providers expected that day) and whether it is still open. Pure, apart from the reference data.
import { londonDateOf, type Bucket, type FigureFamily, type Scope } from '@pulse/kpi';
import { expectedToReport, type RefData } from '@pulse/refdata';

export interface Coverage {
  /** Providers of the scope that reported the figure's family in the bucket. */
  reported: number;
  /** Providers of the scope expected to report that family on the bucket's London date. */
  expected: number;
}

export interface HonestPoint<V> {
  bucket: Bucket;
  /** null: the bucket is in the future, or no provider reported the family in it. */
  value: V | null;
  coverage: Coverage;
  /** The bucket contains the instant the series was read: its value can still grow. */
  open: boolean;
}

/** A stored bucket: its value and how many providers reported in it. */
export interface StoredPoint<V> {
  bucket: Bucket;
  value: V;
  reported: number;
}

/** How many providers of a scope are expected to report a family, per London date (memoised). */
export function expectedCounter(
  refdata: RefData,
  scope: Scope,
  family: FigureFamily,
): (londonDate: string) => number {
  const cache = new Map<string, number>();
  const count = (date: string): number => {
    if (scope.kind !== 'trust') return refdata.trustsExpectedToReport(scope, date, family).length;
    const resolved = refdata.resolveProvider(scope.code, date);
    return resolved.status === 'ok' && expectedToReport(resolved.trust, family) ? 1 : 0;
  };
  return (date) => {
    let n = cache.get(date);
    if (n === undefined) cache.set(date, (n = count(date)));
    return n;
  };
}

/**
 * How many providers a metric's points expect per London date: a counter's, those expected to
 * report its family; a gauge's (G&A beds too), every trust of the scope (a trust sampled
 * contributes its whole state, 0 where it keeps none of the figure, so a gauge point covers
 * trusts, not a family).
 */
export function expectedFor(
  refdata: RefData,
  scope: Scope,
  metric: { kind: 'counter' | 'gauge' | 'beds'; family: FigureFamily },
): (londonDate: string) => number {
  if (metric.kind === 'counter') return expectedCounter(refdata, scope, metric.family);
  const cache = new Map<string, number>();
  return (date) => {
    let n = cache.get(date);
    if (n === undefined) {
      n =
        scope.kind === 'trust'
          ? Number(refdata.resolveProvider(scope.code, date).status === 'ok')
          : refdata.trustsInScope(scope, date).length;
      cache.set(date, n);
    }
    return n;
  };
}

/** The honest points of stored buckets read at `now`. */
export function honestPoints<V>(
  stored: readonly StoredPoint<V>[],
  now: number,
  expectedOn: (londonDate: string) => number,
): HonestPoint<V>[] {
  return stored.map(({ bucket, value, reported }) => {
    const future = bucket.start > now;
    return {
      bucket,
      value: future || reported === 0 ? null : value,
      coverage: {
        reported: future ? 0 : reported,
        expected: expectedOn(londonDateOf(bucket.start)),
      },
      open: !future && now < bucket.end,
    };
  });
}
