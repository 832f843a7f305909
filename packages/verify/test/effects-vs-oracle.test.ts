// Property-style: effectsOf applied by the reference applier must equal the brute-force oracle
// for every scope, every bucket and the live gauges, on seeded random logs.
import { describe, expect, it } from 'vitest';
import { effectsOf, londonDayBounds, parseScopeKey, type BucketSize } from '@pulse/kpi';
import {
  applyInMemory,
  BruteForce,
  counterKey,
  createMemoryStore,
  memoryCounters,
  memoryGauges,
  type MemoryStore,
} from '../src/index.js';
import { LOG_CLOCK, randomLog, resolve, TRUSTS } from './random-log.js';

const SIZES: readonly BucketSize[] = ['15m', '1h', '1d'];

function applyAll(oracle: BruteForce): MemoryStore {
  const store = createMemoryStore();
  for (const { event, trust, icb, region } of oracle.accepted) {
    applyInMemory(store, { trust, icb, region }, event.occurredAt, effectsOf(event));
  }
  return store;
}

function trustsIn(scope: string, date: string): string[] {
  const s = parseScopeKey(scope);
  return TRUSTS.filter((ods) => {
    const parents = resolve(ods, date);
    if (s.kind === 'trust') return ods === s.code;
    if (s.kind === 'england') return parents !== undefined;
    return (s.kind === 'icb' ? parents?.icb : parents?.region) === s.code;
  });
}

describe.each([1, 2, 3, 4])('effectsOf and applyInMemory against the oracle (seed %i)', (seed) => {
  const oracle = new BruteForce(randomLog(seed, 3_000), { resolve, clock: LOG_CLOCK });
  const store = applyAll(oracle);

  it('should agree on every counter of every scope and bucket, and write no other key', () => {
    const wrong: string[] = [];
    const expectedKeys = new Set<string>();
    for (const scope of oracle.scopes()) {
      for (const size of SIZES) {
        for (const id of oracle.bucketIds(size)) {
          expectedKeys.add(counterKey(scope, size, id));
          const want = oracle.counters(scope, size, id);
          if (JSON.stringify(memoryCounters(store, scope, size, id)) !== JSON.stringify(want)) {
            wrong.push(counterKey(scope, size, id));
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect([...store.counters.keys()].filter((k) => !expectedKeys.has(k))).toEqual([]);
    expect(oracle.counters('e', '1d', oracle.bucketIds('1d')).ed_attendances.total).toBeGreaterThan(
      0,
    );
  });

  it('should agree on freshness of every scope', () => {
    for (const scope of oracle.scopes()) {
      expect(store.fresh.get(scope)).toBe(oracle.freshness(scope));
    }
  });

  it('should agree on the gauges and beds of every scope, before and after 1 April 2026', () => {
    for (const date of ['2026-03-29', '2026-03-31', '2026-04-01', '2026-04-02']) {
      const asOf = Math.min(londonDayBounds(date).end - 1, LOG_CLOCK);
      for (const scope of [...oracle.scopes(), 'i:QXX', 'i:QUE']) {
        expect(memoryGauges(store, trustsIn(scope, date), asOf), `${scope} ${date}`).toEqual(
          oracle.gauges(scope, asOf, date),
        );
      }
    }
  });
});
