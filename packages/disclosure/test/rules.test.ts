import { describe, expect, it } from 'vitest';
import { controlCount, DisclosureError, isSmall, roundToBase } from '../src/index.js';

describe('primary rules', () => {
  it('controlCount should publish 0 as 0, suppress 1 to 7 and round 8 and over to the nearest 5', () => {
    const published = Array.from({ length: 19 }, (_, n) => controlCount(n));
    expect(published).toEqual([
      0,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      10,
      10,
      10,
      10,
      10,
      15,
      15,
      15,
      15,
      15,
      20,
    ]);
    expect(controlCount(52_003)).toBe(52_005);
    expect(controlCount(52_002)).toBe(52_000);
  });

  it('isSmall should be true from 1 to 7 only', () => {
    expect([0, 1, 7, 8].map(isSmall)).toEqual([false, true, true, false]);
  });

  it('roundToBase should round a halfway value up (counts, being integers, are never halfway)', () => {
    expect([2.5, 7.5, 12.5, 12.49, 2, 3].map(roundToBase)).toEqual([5, 10, 15, 10, 0, 5]);
  });

  it('controlCount should refuse what is not a count', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => controlCount(bad)).toThrow(DisclosureError);
    }
  });
});
