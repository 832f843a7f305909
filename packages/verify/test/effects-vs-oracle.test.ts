// Property-style: effectsOf applied by the reference applier must equal the brute-force oracle
// for every scope, every bucket and the live gauges, on seeded random logs.
import { describe, expect, it } from 'vitest';
import {
  effectsOf,
  FIGURE_FAMILIES,
  londonDayBounds,
  parseScopeKey,
  STATE_WINDOW_MS,
  type BucketSize,
} from '@pulse/kpi';
import {
  applyInMemory,
  BruteForce,
  counterKey,
  createMemoryStore,
  memoryCounters,
  memoryGauges,
  memoryReported,
  type MemoryStore,
} from '../src/index.js';
import { isKnownProvider, LOG_CLOCK, randomLog, resolve, TRUSTS } from './random-log.js';

const SIZES: readonly BucketSize[] = ['15m', '1h', '1d'];
const DAY = 86_400_000;
const WEEK = 7 * DAY;

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
  const oracle = new BruteForce(randomLog(seed, 3_000), {
    resolve,
    isKnownProvider,
    clock: LOG_CLOCK,
  });
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

  it('should agree on the coverage of every scope, bucket and family, and each trust family freshness', () => {
    const wrong: string[] = [];
    let several = 0;
    for (const scope of oracle.scopes()) {
      for (const size of SIZES) {
        for (const id of oracle.bucketIds(size)) {
          for (const family of FIGURE_FAMILIES) {
            const want = oracle.reported(scope, size, id, family);
            if (want > 1) several++;
            if (memoryReported(store, scope, size, id, family) !== want)
              wrong.push(`${counterKey(scope, size, id)} ${family}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(several).toBeGreaterThan(0);
    for (const ods of TRUSTS) {
      for (const family of FIGURE_FAMILIES) {
        expect(store.familyFresh.get(`${ods}:${family}`), `${ods} ${family}`).toBe(
          oracle.familyFreshness(ods, family),
        );
      }
    }
  });

  it('should agree on the gauges of every scope as their state windows close, years on', () => {
    // Each window cuts through the log's open attendances, pathways and not-meeting spells.
    // Each window once through the middle of the log's state, once past all of it.
    const asOfs = [
      LOG_CLOCK + STATE_WINDOW_MS.ed - 2 * DAY,
      LOG_CLOCK + STATE_WINDOW_MS.ed + 1,
      LOG_CLOCK + STATE_WINDOW_MS.rtt - 65 * WEEK,
      LOG_CLOCK + STATE_WINDOW_MS.rtt + 1,
      LOG_CLOCK + STATE_WINDOW_MS.ctr - 2 * DAY,
      LOG_CLOCK + STATE_WINDOW_MS.ctr + 1,
    ];
    let dropped = 0;
    for (const asOf of asOfs) {
      for (const scope of oracle.scopes()) {
        const trusts = trustsIn(scope, '2026-04-02');
        const gauges = memoryGauges(store, trusts, asOf);
        expect(gauges, `${scope} at ${new Date(asOf).toISOString()}`).toEqual(
          oracle.gauges(scope, asOf, '2026-04-02'),
        );
        const before = memoryGauges(store, trusts, LOG_CLOCK).gauges;
        for (const figure of ['ed_in_department', 'rtt_waiting', 'ctr_not_meeting'] as const) {
          dropped += before[figure].total - gauges.gauges[figure].total;
        }
      }
    }
    expect(dropped).toBeGreaterThan(0);
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
