// Checking a series request before any read: the range and the number of points it would have.
import { bucketsBetween, HOUR_MS, londonDateOf, UTC_BUCKET_MS, type BucketSize } from '@pulse/kpi';
import { ApiError } from './errors.js';
import { iso } from './time.js';

/** Points in a series over [from, to) (from < to): the buckets containing from … to - 1. */
export function pointCount(size: BucketSize, from: number, to: number, max: number): number {
  if (size !== '1d') {
    const step = UTC_BUCKET_MS[size];
    return Math.floor((to - 1) / step) - Math.floor(from / step) + 1;
  }
  // A London day is at least 23 hours: past this bound there are surely too many to list.
  if ((to - from) / (23 * HOUR_MS) > max + 2) return Number.POSITIVE_INFINITY;
  return bucketsBetween('1d', from, to).length;
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
