// Random batches through probe + plan + Lua, read back with the reader, must equal the
// in-memory reference applier (@pulse/verify) for every scope and bucket, every gauge and freshness.
import {
  bucketForId,
  FIGURE_FAMILIES,
  parseScopeKey,
  STATE_WINDOW_MS,
  type Attribution,
  type BucketSize,
  type Scope,
} from '@pulse/kpi';
import {
  applyInMemory,
  createMemoryStore,
  memoryCounters,
  memoryGauges,
  memoryReported,
  type MemoryStore,
} from '@pulse/verify';
import type { RefData } from '@pulse/refdata';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchPlan, FigureReader, FigureStore, PlanItem } from '../src/index.js';
import { DEFAULT_GRACE_MS } from '../src/index.js';
import { prng } from '@pulse/verify';
import { randomEvents } from './helpers/random-events.js';
import type { TestRedis } from './helpers/redis.js';
import { probeAndApply } from './helpers/apply.js';
import { storeFixture } from './helpers/fixture.js';

const HOUR = 3_600_000;
const PARTITIONS = 3;
const CLOCK = Math.floor(Date.now() / HOUR) * HOUR;
// Eight trusts in two ICBs of two regions; trust i lives on partition i % PARTITIONS.
const TRUSTS: Attribution[] = Array.from({ length: 8 }, (_, i) => ({
  trust: `T${i}`,
  icb: `I${i % 2}`,
  region: `R${i % 2}`,
}));
const partitionOf = (ods: string) => Number(ods.slice(1)) % PARTITIONS;

// A stand-in for the reference data: the synthetic trusts and ICBs above, on any date.
const refdata = {
  structureChanges: ['2022-07-01'],
  trusts: () => TRUSTS.map((t) => ({ odsCode: t.trust })),
  resolveProvider: (ods: string) => {
    const a = TRUSTS.find((t) => t.trust === ods)!;
    return { status: 'ok', icb: { code: a.icb }, region: { code: a.region } };
  },
  trustsInScope: (scope: Scope) =>
    TRUSTS.filter(
      (t) => scope.kind === 'england' || (scope.kind === 'icb' ? t.icb : t.region) === scope.code,
    ).map((t) => ({ odsCode: t.trust })),
  // Every trust an acute one: expected to report every family.
  trust: (ods: string) => ({ odsCode: ods, kind: 'acute', aeTypes: [1] }),
} as unknown as RefData;

/** Entries the reference holds that are older than clock - grace - their window, and Redis's. */
async function oldState(test: TestRedis, memory: MemoryStore, clock: number) {
  const bound = (kind: keyof typeof STATE_WINDOW_MS) =>
    clock - DEFAULT_GRACE_MS - STATE_WINDOW_MS[kind];
  let trimmed = 0;
  for (const state of memory.trusts.values()) {
    for (const group of Object.values(state.open.ed)) {
      for (const score of group.values()) if (score < bound('ed')) trimmed++;
    }
    for (const group of Object.values(state.open.rtt)) {
      for (const score of group.values()) if (score < bound('rtt')) trimmed++;
    }
    for (const group of Object.values(state.ctr)) {
      for (const score of group.values()) if (score < bound('ctr')) trimmed++;
    }
  }
  const kept: string[] = [];
  for (const key of await test.keys()) {
    const kind = /:gs?:(ed|rtt|nmctr):/.exec(key)?.[1];
    if (!kind) continue;
    const below = bound(kind === 'nmctr' ? 'ctr' : (kind as 'ed' | 'rtt'));
    const old = await test.redis.zrangebyscore(key, '-inf', `(${below}`);
    kept.push(...old.map((id) => `${key} ${id}`));
  }
  return { trimmed, kept };
}

/**
 * Every scope set (`gs:`) against the trust sets (`g:`) of the same partition, kind and age group
 * whose trusts are in its scope: the same ids (as `<ods>:<id>`) with the same scores. Returns how
 * many members were compared, and the partitions' markers.
 */
async function scopeSetsMirrorTrusts(test: TestRedis) {
  const keys = await test.keys();
  let members = 0;
  for (const key of keys) {
    const m = /^(.*):gs:(ed|rtt|nmctr):([ire]):?([^.]*)\.[0-9a-f]+:(\w+)$/.exec(key);
    if (!m) continue;
    const [, p, kind, level, code, age] = m;
    const inScope = TRUSTS.filter(
      (a) => level === 'e' || (level === 'i' ? a.icb : a.region) === code,
    ).map((a) => a.trust);
    const want: string[] = [];
    for (const ods of inScope) {
      const ids = await test.redis.zrange(`${p}:g:${kind}:${ods}:${age}`, 0, '-1', 'WITHSCORES');
      for (let i = 0; i < ids.length; i += 2) want.push(`${ods}:${ids[i]} ${ids[i + 1]}`);
    }
    const got = await test.redis.zrange(key, 0, '-1', 'WITHSCORES');
    const pairs = Array.from(
      { length: got.length / 2 },
      (_, i) => `${got[2 * i]} ${got[2 * i + 1]}`,
    );
    expect(pairs.sort(), key).toEqual(want.sort());
    members += pairs.length;
  }
  const markers = await Promise.all(
    keys.filter((k) => k.endsWith(':gs')).map((k) => test.redis.hget(k, 'structure')),
  );
  return { members, markers };
}

let t: TestRedis;
let store: FigureStore;
let reader: FigureReader;

// A fresh prefix per seed: each run starts with no stored offsets.
beforeEach(async () => {
  ({ t, store, reader } = await storeFixture(PARTITIONS, refdata));
});

describe('figure store equivalence', () => {
  it.each([20260329, 7, 1234567])(
    'figure store should equal the in-memory reference applier for random batches (seed %i)',
    async (seed) => {
      const random = prng(seed);
      const events = randomEvents(seed, CLOCK - 3 * 86_400_000, 3 * 86_400_000);
      const memory = createMemoryStore();
      const offsets = Array.from({ length: PARTITIONS }, () => 0);
      const stale: BatchPlan[] = [];
      const accepted = new Set<string>();
      let duplicates = 0;

      for (let round = 0; round < 40; round++) {
        const partition = round % PARTITIONS;
        const mine = TRUSTS.filter((a) => partitionOf(a.trust) === partition);
        const items: PlanItem[] = Array.from({ length: 1 + Math.floor(random() * 60) }, () =>
          events.next(mine[Math.floor(random() * mine.length)]!),
        );
        expect(await store.storedOffset(partition)).toBe(
          round < PARTITIONS ? null : String(offsets[partition]),
        );
        const first = offsets[partition]!;
        const { plan, result } = await probeAndApply(store, {
          partition,
          first,
          items,
          clock: CLOCK,
        });
        expect(result).toEqual({ applied: true });
        offsets[partition] = first + items.length;
        // A zombie re-applies an old plan: fenced out.
        if (stale.length > 0 && random() < 0.3) {
          const old = stale[Math.floor(random() * stale.length)]!;
          expect((await store.apply(old)).applied).toBe(false);
        }
        stale.push(plan);
        for (const item of items) {
          if (accepted.has(item.eventId)) {
            duplicates++;
            continue;
          }
          accepted.add(item.eventId);
          applyInMemory(memory, item.attribution, item.occurredAt, item.effects);
        }
      }
      expect(duplicates).toBeGreaterThan(10);

      // Every counter hash the reference holds, read back through the reader.
      const byScopeAndSize = new Map<string, string[]>();
      for (const key of memory.counters.keys()) {
        const [size, id] = key.split(':').slice(-2) as [BucketSize, string];
        const scope = key.slice(0, key.length - size.length - id.length - 2);
        const group = `${scope}|${size}`;
        byScopeAndSize.set(group, [...(byScopeAndSize.get(group) ?? []), id]);
      }
      let compared = 0;
      for (const [group, ids] of byScopeAndSize) {
        const [scope, size] = group.split('|') as [string, BucketSize];
        const figures = await reader.counters(parseScopeKey(scope), size, ids);
        ids.forEach((id, b) =>
          expect(figures[b], `${scope} ${size} ${id}`).toEqual(
            memoryCounters(memory, scope, size, id),
          ),
        );
        compared += ids.length;
      }
      expect(compared).toBeGreaterThan(100);

      // Coverage: how many trusts reported each family in each bucket, counted once per trust.
      let covered = 0;
      for (const [group, ids] of byScopeAndSize) {
        const [scope, size] = group.split('|') as [string, BucketSize];
        const read = await reader.coverage(parseScopeKey(scope), size, ids);
        ids.forEach((id, b) => {
          for (const family of FIGURE_FAMILIES) {
            const want = memoryReported(memory, scope, size, id, family);
            expect(read[b]![family], `${group} ${id} ${family}`).toBe(want);
            if (want > 1) covered++;
          }
        });
        // The series read returns the same count beside each value.
        const first = bucketForId(size, ids[0]!);
        const series = await reader.counterSeries(
          parseScopeKey(scope),
          'ed_attendances',
          size,
          first.start,
          first.end,
        );
        expect(series[0]!.reported).toBe(memoryReported(memory, scope, size, ids[0]!, 'ae'));
      }
      expect(covered).toBeGreaterThan(10);
      // No counter hash exists in Redis that the reference lacks.
      const counterKeys = (await t.keys()).filter((k) => k.includes(':c:'));
      expect(counterKeys.length).toBeLessThanOrEqual(memory.counters.size * PARTITIONS);

      const scopes: Scope[] = [
        { kind: 'england' },
        { kind: 'icb', code: 'I0' },
        { kind: 'region', code: 'R1' },
        ...TRUSTS.map((a): Scope => ({ kind: 'trust', code: a.trust })),
      ];
      for (const scope of scopes) {
        const trusts =
          scope.kind === 'trust'
            ? [scope.code]
            : refdata.trustsInScope(scope, '').map((x) => x.odsCode);
        for (const asOf of [CLOCK, CLOCK - 20 * HOUR, CLOCK + 60 * 86_400_000]) {
          expect(await reader.gauges(scope, asOf), JSON.stringify(scope)).toEqual(
            memoryGauges(memory, trusts, asOf),
          );
        }
      }
      // The reads above used the gauge state kept per scope: it mirrors the trusts' exactly.
      const { members, markers } = await scopeSetsMirrorTrusts(t);
      expect(members).toBeGreaterThan(100);
      expect(markers).toHaveLength(PARTITIONS);
      expect(markers.every((m) => m !== null && m !== 'partial')).toBe(true);
      // Junk older than its state window is trimmed from Redis (bounded growth) and, never
      // counted, leaves every gauge above equal to the reference, which keeps it.
      const { trimmed, kept } = await oldState(t, memory, CLOCK);
      expect(kept).toEqual([]);
      expect(trimmed).toBeGreaterThan(0);
      const view = await reader.freshView();
      for (const [scope, newest] of memory.fresh) {
        expect(await reader.freshness(parseScopeKey(scope))).toBe(newest);
        expect(view.freshness(parseScopeKey(scope))).toBe(newest);
      }
      // Completeness per family: the trusts whose newest event of the family is at or after since.
      for (const since of [CLOCK - 3 * 86_400_000, CLOCK - 30 * HOUR, CLOCK - HOUR]) {
        const { families } = await reader.completeness({ kind: 'england' }, CLOCK, '', since);
        expect(view.completeness({ kind: 'england' }, CLOCK, '', since).families).toEqual(families);
        for (const family of FIGURE_FAMILIES) {
          const want = TRUSTS.map((a) => a.trust).filter(
            (ods) => (memory.familyFresh.get(`${ods}:${family}`) ?? -Infinity) >= since,
          );
          expect(families[family], `${family} since ${since}`).toEqual({
            expected: TRUSTS.map((a) => a.trust),
            reporting: want,
          });
        }
      }
      const quality = await Promise.all(TRUSTS.map((a) => reader.dataQuality(a.trust)));
      expect(quality.reduce((n, q) => n + q.accepted, 0)).toBe(accepted.size);
      expect(quality.reduce((n, q) => n + q.duplicates, 0)).toBe(duplicates);
    },
  );
});
