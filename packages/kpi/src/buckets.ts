// Time buckets: 15 minutes and 1 hour aligned on UTC, and the Europe/London calendar day (23 to
// 25 hours long; the calendar is @pulse/refdata's london-date.ts, which asks the time-zone
// database once per UTC hour). bucketsOf runs once per event, so its answers are cached per
// 15-minute slot.
import { DAY_MS, HOUR_MS, MINUTE_MS, londonDateOf, londonDaySpan } from '@pulse/refdata';
import type { Bucket, BucketSize } from './types.js';

/** Units of time (defined in @pulse/refdata), and the 15-minute bucket. */
export { DAY_MS, HOUR_MS, MINUTE_MS };
export const QUARTER_MS = 15 * MINUTE_MS;

/** Bucket lengths of the UTC-aligned sizes; a London day has no fixed length. */
export const UTC_BUCKET_MS = { '15m': QUARTER_MS, '1h': HOUR_MS } as const;

export type Bucket15m = Readonly<Bucket & { size: '15m' }>;
export type Bucket1h = Readonly<Bucket & { size: '1h' }>;
export type BucketDay = Readonly<Bucket & { size: '1d' }>;
/** An event's buckets, shared and frozen: never mutate them. */
export type EventBuckets = readonly [Bucket15m, Bucket1h, BucketDay];

/** Cache bounds: far more than the grace period's slots, small enough never to matter. */
const MAX_CACHED_SLOTS = 20_000;
const MAX_CACHED_DAYS = 5_000;

function setBounded<K, V>(cache: Map<K, V>, max: number, key: K, value: V): V {
  if (cache.size >= max) cache.clear();
  cache.set(key, value);
  return value;
}

const dayByDate = new Map<string, BucketDay>();

/** A London date's bucket, shared and frozen; the calendar itself is @pulse/refdata's. */
function londonDay(date: string): BucketDay {
  const cached = dayByDate.get(date);
  if (cached !== undefined) return cached;
  const { start, end } = londonDaySpan(date);
  const bucket: BucketDay = Object.freeze({ size: '1d', id: date, start, end });
  return setBounded(dayByDate, MAX_CACHED_DAYS, date, bucket);
}

function assertInstant(epochMs: number, what: string): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`${what}: not a finite instant: ${epochMs}`);
}

/** The London calendar day containing an instant. */
export function londonDayOf(epochMs: number): BucketDay {
  assertInstant(epochMs, 'londonDayOf');
  return londonDay(londonDateOf(epochMs));
}

/** The Europe/London calendar date ('YYYY-MM-DD') of an instant (@pulse/refdata's). */
export { londonDateOf };

/** A London date's bucket: start = London midnight, end = the next London midnight. */
export function londonDayBounds(date: string): BucketDay {
  try {
    return londonDay(date);
  } catch (err) {
    throw new RangeError(`londonDayBounds: ${(err as Error).message}`, { cause: err });
  }
}

function utcBucket<S extends '15m' | '1h'>(size: S, start: number) {
  return Object.freeze({ size, id: String(start), start, end: start + UTC_BUCKET_MS[size] });
}

const bucketsBySlot = new Map<number, EventBuckets>();
let lastSlot = Number.NaN;
let lastBuckets: EventBuckets | undefined;

/**
 * The 15-minute, hourly and London-day buckets of an instant. One 15-minute slot always lies in
 * one London day (offsets are whole hours), so the answer is cached per slot; the result is
 * shared and frozen.
 */
export function bucketsOf(occurredAt: number): EventBuckets {
  const slot = Math.floor(occurredAt / QUARTER_MS);
  if (slot === lastSlot) return lastBuckets!;
  let buckets = bucketsBySlot.get(slot);
  if (buckets === undefined) {
    assertInstant(occurredAt, 'bucketsOf');
    const start = slot * QUARTER_MS;
    const hourStart = Math.floor(start / HOUR_MS) * HOUR_MS;
    buckets = Object.freeze([
      utcBucket('15m', start),
      utcBucket('1h', hourStart),
      londonDay(londonDateOf(start)),
    ] as const);
    setBounded(bucketsBySlot, MAX_CACHED_SLOTS, slot, buckets);
  }
  lastSlot = slot;
  lastBuckets = buckets;
  return buckets;
}

/** Refuses ranges that would list more ids than any sensible read (5 years of 15-minute slots). */
const MAX_BUCKETS_BETWEEN = 200_000;

/**
 * Ids of the consecutive buckets of a size covering [from, to): the bucket containing `from`
 * through the one containing `to - 1`. Empty when to <= from.
 */
export function bucketsBetween(size: BucketSize, from: number, to: number): string[] {
  assertInstant(from, 'bucketsBetween');
  assertInstant(to, 'bucketsBetween');
  const ids: string[] = [];
  if (to <= from) return ids;
  const step = size === '1d' ? 23 * HOUR_MS : UTC_BUCKET_MS[size];
  if ((to - from) / step > MAX_BUCKETS_BETWEEN) {
    throw new RangeError(`bucketsBetween: more than ${MAX_BUCKETS_BETWEEN} ${size} buckets`);
  }
  if (size === '1d') {
    for (let day = londonDayOf(from); day.start < to; day = londonDayOf(day.end)) ids.push(day.id);
    return ids;
  }
  const first = Math.floor(from / step) * step;
  for (let start = first; start < to; start += step) ids.push(String(start));
  return ids;
}

/** The bucket a key's id names; throws a RangeError for an id that is not one of that size. */
export function bucketForId(size: BucketSize, id: string): Bucket {
  if (size === '1d') return londonDayBounds(id);
  const start = /^-?\d+$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(start) || start % UTC_BUCKET_MS[size] !== 0) {
    throw new RangeError(`bucketForId: not a ${size} bucket id: ${id}`);
  }
  return utcBucket(size, start);
}
