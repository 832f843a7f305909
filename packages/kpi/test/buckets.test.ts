import { describe, expect, it } from 'vitest';
import {
  bucketForId,
  bucketsBetween,
  bucketsOf,
  HOUR_MS,
  londonDateOf,
  londonDayBounds,
  londonDayOf,
} from '../src/index.js';

const at = (iso: string) => Date.parse(iso);
const hours = (ms: number) => ms / HOUR_MS;

describe('londonDayBounds', () => {
  it('should give an ordinary winter day 24 hours from UTC midnight', () => {
    const day = londonDayBounds('2026-01-15');
    expect(day).toMatchObject({ size: '1d', id: '2026-01-15', start: at('2026-01-15T00:00Z') });
    expect(hours(day.end - day.start)).toBe(24);
  });

  it('should give 29 March 2026 (clocks forward) 23 hours', () => {
    const day = londonDayBounds('2026-03-29');
    expect(day.start).toBe(at('2026-03-29T00:00Z'));
    expect(day.end).toBe(at('2026-03-29T23:00Z'));
  });

  it('should give 25 October 2026 (clocks back) 25 hours', () => {
    const day = londonDayBounds('2026-10-25');
    expect(day.start).toBe(at('2026-10-24T23:00Z'));
    expect(day.end).toBe(at('2026-10-26T00:00Z'));
  });

  it('should start a summer day at 23:00 UTC the day before', () => {
    const day = londonDayBounds('2026-04-01');
    expect(day.start).toBe(at('2026-03-31T23:00Z'));
    expect(hours(day.end - day.start)).toBe(24);
  });

  it('should refuse what is not a calendar date', () => {
    for (const bad of ['2026-02-30', '2026-1-01', '20260101', '2026-13-01', '']) {
      expect(() => londonDayBounds(bad)).toThrow(RangeError);
    }
  });
});

describe('bucketsOf', () => {
  it('should align 15-minute and hourly buckets on UTC', () => {
    const [q, h] = bucketsOf(at('2026-06-10T10:44:59.999Z'));
    expect(q).toEqual({
      size: '15m',
      id: String(at('2026-06-10T10:30Z')),
      start: at('2026-06-10T10:30Z'),
      end: at('2026-06-10T10:45Z'),
    });
    expect(h).toEqual({
      size: '1h',
      id: String(at('2026-06-10T10:00Z')),
      start: at('2026-06-10T10:00Z'),
      end: at('2026-06-10T11:00Z'),
    });
  });

  it('should put 23:30 UTC in summer on the next London day and in winter on the same', () => {
    expect(bucketsOf(at('2026-03-31T23:30Z'))[2].id).toBe('2026-04-01');
    expect(bucketsOf(at('2026-03-31T22:59:59.999Z'))[2].id).toBe('2026-03-31');
    expect(bucketsOf(at('2026-01-31T23:30Z'))[2].id).toBe('2026-01-31');
  });

  it('should follow the spring change at 01:00 UTC on 29 March 2026', () => {
    expect(londonDateOf(at('2026-03-28T23:59:59.999Z'))).toBe('2026-03-28');
    expect(londonDateOf(at('2026-03-29T00:00Z'))).toBe('2026-03-29');
    expect(londonDateOf(at('2026-03-29T22:59:59.999Z'))).toBe('2026-03-29');
    expect(londonDateOf(at('2026-03-29T23:00Z'))).toBe('2026-03-30');
  });

  it('should follow the autumn change at 01:00 UTC on 25 October 2026', () => {
    expect(londonDateOf(at('2026-10-24T22:59:59.999Z'))).toBe('2026-10-24');
    expect(londonDateOf(at('2026-10-24T23:00Z'))).toBe('2026-10-25');
    expect(londonDateOf(at('2026-10-25T23:59:59.999Z'))).toBe('2026-10-25');
    expect(londonDateOf(at('2026-10-26T00:00Z'))).toBe('2026-10-26');
  });

  it('should return the same frozen buckets for every instant of one slot', () => {
    const a = bucketsOf(at('2026-05-01T12:00Z'));
    const b = bucketsOf(at('2026-05-01T12:14:59.999Z'));
    bucketsOf(at('2026-05-02T12:00Z'));
    expect(bucketsOf(at('2026-05-01T12:07Z'))).toBe(a);
    expect(b).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a[0]) && Object.isFrozen(a[2])).toBe(true);
  });

  it('should agree with Intl on every 15 minutes of 2026 and the changes of 2025 and 2027', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
    const ranges = [
      [at('2025-03-29T00:00Z'), at('2025-03-31T00:00Z')],
      [at('2025-10-25T00:00Z'), at('2025-10-27T00:00Z')],
      [at('2026-01-01T00:00Z'), at('2027-01-01T00:00Z')],
      [at('2027-03-27T00:00Z'), at('2027-03-29T00:00Z')],
      [at('2027-10-30T00:00Z'), at('2027-11-01T00:00Z')],
    ] as const;
    const wrong: string[] = [];
    for (const [from, to] of ranges) {
      for (let t = from; t < to; t += 15 * 60_000) {
        const [, , day] = bucketsOf(t);
        if (day.id !== intl.format(t) || t < day.start || t >= day.end) wrong.push(String(t));
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('bucketsBetween', () => {
  it('should list the 15-minute buckets covering a half-open range', () => {
    const from = at('2026-06-10T10:10Z');
    expect(bucketsBetween('15m', from, at('2026-06-10T10:45Z'))).toEqual([
      String(at('2026-06-10T10:00Z')),
      String(at('2026-06-10T10:15Z')),
      String(at('2026-06-10T10:30Z')),
    ]);
    expect(bucketsBetween('15m', from, from)).toEqual([]);
  });

  it('should list 23 hourly buckets on 29 March 2026 and 25 on 25 October 2026', () => {
    const spring = londonDayBounds('2026-03-29');
    expect(bucketsBetween('1h', spring.start, spring.end)).toHaveLength(23);
    const autumn = londonDayBounds('2026-10-25');
    expect(bucketsBetween('1h', autumn.start, autumn.end)).toHaveLength(25);
  });

  it('should list London days across both changes', () => {
    expect(bucketsBetween('1d', at('2026-03-28T12:00Z'), at('2026-03-30T00:00Z'))).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
    ]);
    const { start, end } = londonDayBounds('2026-10-25');
    expect(bucketsBetween('1d', start, end)).toEqual(['2026-10-25']);
    expect(bucketsBetween('1d', start - 1, end + 1)).toEqual([
      '2026-10-24',
      '2026-10-25',
      '2026-10-26',
    ]);
  });
});

describe('bucketForId', () => {
  it('should round-trip the ids of every size', () => {
    for (const b of bucketsOf(at('2026-10-25T00:30Z'))) {
      expect(bucketForId(b.size, b.id)).toEqual(b);
    }
  });

  it('should refuse ids that are not bucket starts', () => {
    expect(() => bucketForId('15m', String(at('2026-06-10T10:10Z')))).toThrow(RangeError);
    expect(() => bucketForId('1h', String(at('2026-06-10T10:15Z')))).toThrow(RangeError);
    expect(() => bucketForId('1h', '12abc')).toThrow(RangeError);
    expect(() => bucketForId('1d', '2026-06-31')).toThrow(RangeError);
  });

  it('should agree with londonDayOf', () => {
    const t = at('2026-07-01T23:15Z');
    expect(bucketForId('1d', '2026-07-02')).toBe(londonDayOf(t));
  });
});
