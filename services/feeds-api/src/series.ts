// Checking a series request before any read: the range and the number of points it would have.
import { bucketsBetween, HOUR_MS, londonDateOf, UTC_BUCKET_MS, type BucketSize } from '@pulse/kpi';
import { DEFAULT_RETENTION } from '@pulse/store';
import { ApiError } from './errors.js';
import type { ResolvedMetric } from './metrics.js';
import type { ScopeInfo } from './scopes.js';
import { iso } from './time.js';

/** The fields every series body starts with, exact or controlled; `first`/`last`: its buckets. */
export function seriesHeader(
  info: ScopeInfo,
  metric: ResolvedMetric,
  asOf: number,
  interval: BucketSize,
  range: { first: number | undefined; last: number | undefined; from: number; to: number },
) {
  return {
    scope: info,
    metric: metric.name,
    unit: metric.unit,
    family: metric.family,
    asOf: iso(asOf),
    interval,
    from: iso(range.first ?? range.from),
    to: iso(range.last ?? range.to),
  };
}

/** Points in a series over [from, to) (from < to): the buckets containing from … to - 1. */
export function pointCount(size: BucketSize, from: number, to: number, max: number): number {
  if (size !== '1d') {
    const step = UTC_BUCKET_MS[size];
    return Math.floor((to - 1) / step) - Math.floor(from / step) + 1;
  }
  // A London day is at most 25 hours, so the range holds at least this many days: past the
  // bound there are surely too many to list; below it they are counted exactly.
  if ((to - from) / (25 * HOUR_MS) > max + 2) return Number.POSITIVE_INFINITY;
  return bucketsBetween('1d', from, to).length;
}

/** Throws a 400 when the whole range ended before the store keeps buckets of this size. */
export function checkRetention(size: BucketSize, to: number, now: number): void {
  const kept = now - DEFAULT_RETENTION[size];
  if (to > kept) return;
  const days = Math.round(DEFAULT_RETENTION[size] / (24 * HOUR_MS));
  throw new ApiError(
    'INVALID_RANGE',
    `${size} buckets are kept ${days} days: the range ends at ${iso(to)}, before ${iso(kept)}, ` +
      'so nothing of it is kept. Use a larger interval.',
    { errors: [{ in: 'query', name: 'to', pointer: '/to', detail: `is before ${iso(kept)}` }] },
  );
}

/** Throws a precise 400 unless from < to and the series has at most `max` points. */
export function checkSeriesRange(size: BucketSize, from: number, to: number, max: number): void {
  if (!(from < to)) {
    throw new ApiError('INVALID_RANGE', `'from' (${iso(from)}) must be before 'to' (${iso(to)}).`, {
      errors: [
        { in: 'query', name: 'to', pointer: '/to', detail: `must be after from (${iso(from)})` },
      ],
    });
  }
  const count = pointCount(size, from, to, max);
  if (count > max) {
    const shown = Number.isFinite(count) ? String(count) : `more than ${max}`;
    throw new ApiError(
      'TOO_MANY_POINTS',
      `${iso(from)} to ${iso(to)} at ${size} is ${shown} points; at most ${max} are served per request. ` +
        'Narrow the range or use a larger interval.',
      {
        errors: [
          {
            in: 'query',
            name: 'to',
            pointer: '/to',
            detail: `gives ${shown} ${size} points, over ${max}`,
          },
        ],
      },
    );
  }
}

/** The London dates a range [from, to) touches: the first and the last. */
export function londonDatesOf(from: number, to: number): [string, string] {
  return [londonDateOf(from), londonDateOf(to - 1)];
}
