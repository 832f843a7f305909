// Time buckets: 15 minutes and 1 hour aligned on UTC, and the Europe/London calendar day (23 to
// 25 hours long). bucketsOf runs once per event, so its answers are cached per 15-minute slot and
// the time-zone database (Intl) is only asked once per UTC hour ever seen.
import type { Bucket, BucketSize } from './types.js';

export const MINUTE_MS = 60_000;
export const QUARTER_MS = 15 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Bucket lengths of the UTC-aligned sizes; a London day has no fixed length. */
export const UTC_BUCKET_MS = { '15m': QUARTER_MS, '1h': HOUR_MS } as const;

export type Bucket15m = Readonly<Bucket & { size: '15m' }>;
export type Bucket1h = Readonly<Bucket & { size: '1h' }>;
export type BucketDay = Readonly<Bucket & { size: '1d' }>;
/** An event's buckets, shared and frozen: never mutate them. */
export type EventBuckets = readonly [Bucket15m, Bucket1h, BucketDay];

/** Cache bounds: far more than the grace period's slots, small enough never to matter. */
const MAX_CACHED_SLOTS = 20_000;
const MAX_CACHED_HOURS = 20_000;
const MAX_CACHED_DAYS = 5_000;

const LONDON_WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function setBounded<K, V>(cache: Map<K, V>, max: number, key: K, value: V): V {
  if (cache.size >= max) cache.clear();
  cache.set(key, value);
  return value;
}

const offsetByHour = new Map<number, number>();

/**
 * London's offset from UTC (ms) at an instant. It changes only on whole UTC hours (01:00 UTC on
 * the last Sundays of March and October), so it is looked up once per UTC hour.
 */
function londonOffsetAt(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const at = hour * HOUR_MS;
  const p: Record<string, number> = {};
  for (const part of LONDON_WALL_CLOCK.formatToParts(at)) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return setBounded(offsetByHour, MAX_CACHED_HOURS, hour, wall - at);
}

function isoDateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant London's wall clock reads 00:00 on the UTC-epoch day number `day`. */
function londonMidnight(day: number): number {
  const wallMidnight = day * DAY_MS;
  // Midnight is never within an hour of a change, so the offset just after it is the right one.
  return wallMidnight - londonOffsetAt(wallMidnight - londonOffsetAt(wallMidnight));
}

const dayByNumber = new Map<number, BucketDay>();

function londonDay(day: number): BucketDay {
  const cached = dayByNumber.get(day);
  if (cached !== undefined) return cached;
  const bucket: BucketDay = Object.freeze({
    size: '1d',
    id: isoDateOfDayNumber(day),
    start: londonMidnight(day),
    end: londonMidnight(day + 1),
  });
  return setBounded(dayByNumber, MAX_CACHED_DAYS, day, bucket);
}

function londonDayNumberOf(epochMs: number): number {
  return Math.floor((epochMs + londonOffsetAt(epochMs)) / DAY_MS);
}

function assertInstant(epochMs: number, what: string): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`${what}: not a finite instant: ${epochMs}`);
}

/** The London calendar day containing an instant. */
export function londonDayOf(epochMs: number): BucketDay {
  assertInstant(epochMs, 'londonDayOf');
  return londonDay(londonDayNumberOf(epochMs));
}

/** The Europe/London calendar date ('YYYY-MM-DD') of an instant. */
export function londonDateOf(epochMs: number): string {
  return londonDayOf(epochMs).id;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A London date's bucket: start = London midnight, end = the next London midnight. */
export function londonDayBounds(date: string): BucketDay {
  const m = ISO_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  const day = ms / DAY_MS;
  if (!Number.isInteger(day) || isoDateOfDayNumber(day) !== date) {
    throw new RangeError(`londonDayBounds: not a calendar date 'YYYY-MM-DD': ${date}`);
  }
  return londonDay(day);
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
      londonDay(londonDayNumberOf(start)),
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
    for (let day = londonDayNumberOf(from); londonDay(day).start < to; day++) {
      ids.push(londonDay(day).id);
    }
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
