import {
  emptyCounterFigures,
  scopeKey,
  type BucketSize,
  type CounterFigures,
  type Scope,
} from '@pulse/kpi';
import { describe, expect, it } from 'vitest';
import type { FiguresSource } from '../../src/ports.js';
import { counterCache } from '../../src/stream/counter-cache.js';

const ICB: Scope = { kind: 'icb', code: 'QE1' };
const TRUST: Scope = { kind: 'trust', code: 'RXN' };
const DAY = ['2026-12-02'];
const HOUR = ['1764667200000', '1764668100000', '1764669000000', '1764669900000'];

/** Figures whose counters are the number of times they were read, with the reads held open. */
function countingFigures() {
  const reads: string[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const source = {
    reads,
    set hold(on: boolean) {
      hold = on;
    },
    release: () => held.splice(0).forEach((go) => go()),
    async counters(scope: Scope, size: BucketSize, _ids: readonly string[]) {
      reads.push(`${scopeKey(scope)}/${size}`);
      const figures = emptyCounterFigures();
      figures.ed_attendances.adult = reads.length;
      if (hold) await new Promise<void>((go) => held.push(go));
      return figures;
    },
  };
  return source as unknown as typeof source & FiguresSource;
}

const adults = (figures: CounterFigures) => figures.ed_attendances.adult;

describe('counter cache', () => {
  it('counter cache should read a scope’s buckets again only once a change names one of them', async () => {
    const source = countingFigures();
    const cache = counterCache(source);
    const read = () => cache.figures.counters(ICB, '15m', HOUR);
    expect(adults(await read())).toBe(1);
    expect(adults(await read())).toBe(1);
    // Another scope, another size, a bucket outside the list: still the same read.
    cache.changed('t:RXN', ['15m:1764669900000']);
    cache.changed('i:QE1', ['1d:2026-12-02', '15m:1764670800000']);
    expect(adults(await read())).toBe(1);
    cache.changed('i:QE1', ['1h:1764669600000', '15m:1764669000000']);
    expect(adults(await read())).toBe(2);
    expect(adults(await read())).toBe(2);
    // A change that does not say which buckets: read again.
    cache.changed('i:QE1', undefined);
    expect(adults(await read())).toBe(3);
    cache.clear();
    expect(adults(await read())).toBe(4);
    expect(source.reads).toEqual(['i:QE1/15m', 'i:QE1/15m', 'i:QE1/15m', 'i:QE1/15m']);
  });

  it('counter cache should keep each bucket list of a scope apart, and other scopes’ too', async () => {
    const source = countingFigures();
    const cache = counterCache(source);
    await cache.figures.counters(ICB, '1d', DAY);
    await cache.figures.counters(ICB, '15m', HOUR);
    await cache.figures.counters(TRUST, '1d', DAY);
    cache.changed('i:QE1', ['1d:2026-12-02']);
    expect(adults(await cache.figures.counters(ICB, '15m', HOUR))).toBe(2);
    expect(adults(await cache.figures.counters(TRUST, '1d', DAY))).toBe(3);
    expect(adults(await cache.figures.counters(ICB, '1d', DAY))).toBe(4);
    // The hour rolls on: a new list is read, the old one is not used for it.
    expect(
      adults(await cache.figures.counters(ICB, '15m', [...HOUR.slice(1), '1764670800000'])),
    ).toBe(5);
    expect(source.reads).toHaveLength(5);
  });

  it('counter cache should not keep a read that a change overtook', async () => {
    const source = countingFigures();
    const cache = counterCache(source);
    source.hold = true;
    const first = cache.figures.counters(ICB, '1d', DAY);
    // Named while the read runs: the read may or may not reflect it.
    cache.changed('i:QE1', ['1d:2026-12-02']);
    source.release();
    source.hold = false;
    expect(adults(await first)).toBe(1);
    expect(adults(await cache.figures.counters(ICB, '1d', DAY))).toBe(2);
    expect(adults(await cache.figures.counters(ICB, '1d', DAY))).toBe(2);

    source.hold = true;
    const second = cache.figures.counters(TRUST, '1d', DAY);
    cache.clear();
    source.release();
    source.hold = false;
    expect(adults(await second)).toBe(3);
    expect(adults(await cache.figures.counters(TRUST, '1d', DAY))).toBe(4);
  });

  it('counter cache should not keep a failed read', async () => {
    let fail = true;
    const source = countingFigures();
    const counters = source.counters.bind(source);
    const cache = counterCache({
      ...source,
      counters: (...args) =>
        fail ? Promise.reject(new Error('redis went away')) : counters(...args),
    });
    await expect(cache.figures.counters(ICB, '1d', DAY)).rejects.toThrow('redis went away');
    fail = false;
    expect(adults(await cache.figures.counters(ICB, '1d', DAY))).toBe(1);
    expect(adults(await cache.figures.counters(ICB, '1d', DAY))).toBe(1);
  });
});
