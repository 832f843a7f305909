import { loadRefData } from '@pulse/refdata';
import type { Attribution, CounterIncrement, StateOp } from '@pulse/kpi';
import { bucketsOf, londonDateOf } from '@pulse/kpi';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FigureReader, FigureStore, PlanItem } from '../src/index.js';
import { createFigureReader, SERIES_CHUNK_BUCKETS, StoreError } from '../src/index.js';
import { item, one } from './helpers/items.js';
import { storeFixture, TOPIC } from './helpers/fixture.js';
import type { TestRedis } from './helpers/redis.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const AS_OF = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
const refdata = loadRefData();
const DATE = londonDateOf(AS_OF);
// Two trusts of one ICB, whose records land on different partitions.
const ICB = refdata
  .icbs(DATE)
  .find((icb) => refdata.trustsInScope({ kind: 'icb', code: icb.code }, DATE).length >= 2)!;
const [A, B] = refdata
  .trustsInScope({ kind: 'icb', code: ICB.code }, DATE)
  .map((trust) => trust.odsCode) as [string, string];
const at = (ods: string): Attribution => ({ trust: ods, icb: ICB.code, region: ICB.regionCode });
const of = (
  ods: string,
  occurredAt: number,
  counters: CounterIncrement[],
  state: StateOp[] = [],
): PlanItem => item(occurredAt, counters, state, { providerOds: ods, attribution: at(ods) });

const beds = (bedType: string, at: number, open: number, occupied: number): StateOp => ({
  op: 'beds',
  siteOds: 'SITE1',
  bedType,
  at,
  open,
  occupied,
});

let t: TestRedis;
let store: FigureStore;
let reader: FigureReader;

// Each test on its own prefix, with the same data.
beforeEach(async () => {
  ({ t, store, reader } = await storeFixture(3, refdata));
  const apply = async (partition: number, items: PlanItem[]) => {
    const plan = store.plan({
      partition,
      storedOffset: null,
      firstOffset: '0',
      nextOffset: String(items.length),
      items,
      clock: AS_OF,
    });
    expect(await store.apply(plan)).toEqual({ applied: true });
  };
  await apply(0, [
    of(
      A,
      AS_OF - 13 * HOUR,
      [one('ed_attendances', 'child')],
      [{ op: 'open', set: 'ed', id: 'e1', score: AS_OF - 13 * HOUR, group: 'child' }],
    ),
    of(
      A,
      AS_OF - HOUR,
      [one('ed_attendances', 'adult')],
      [{ op: 'open', set: 'ed', id: 'e2', score: AS_OF - HOUR, group: 'adult' }],
    ),
    of(A, AS_OF - 30 * MIN, [], [beds('GENERAL_ACUTE', AS_OF - 30 * MIN, 100, 90)]),
  ]);
  await apply(2, [
    of(
      B,
      AS_OF - 2 * HOUR,
      [one('ed_attendances', 'adult')],
      [{ op: 'open', set: 'rtt', id: 'r1', score: AS_OF - 53 * WEEK, group: 'adult' }],
    ),
    of(
      B,
      AS_OF - 2 * HOUR,
      [],
      [{ op: 'ctr', spellId: 's1', meets: false, group: 'unknown', at: AS_OF - 2 * HOUR }],
    ),
    of(B, AS_OF - 2 * HOUR, [], [beds('GENERAL_ACUTE', AS_OF - 2 * HOUR, 50, 40)]),
    of(B, AS_OF - 2 * HOUR, [], [beds('CRITICAL_CARE', AS_OF - 2 * HOUR, 9, 9)]),
  ]);
  const rejected = store.plan({
    partition: 1,
    storedOffset: null,
    firstOffset: '0',
    nextOffset: '1',
    items: [],
    clock: AS_OF,
    rejections: [{ providerOds: A, code: 'FUTURE_DATED' }],
  });
  await store.apply(rejected);
});

describe('figure reader', () => {
  it('figure reader should merge counters of a scope across partitions', async () => {
    const day = bucketsOf(AS_OF - 2 * HOUR)[2].id;
    const [figures] = await reader.counters({ kind: 'icb', code: ICB.code }, '1d', [day]);
    // The day of the 2-hour-old attendance: the 1- and 13-hour-old ones may fall on another
    // London day, depending on the hour the test runs.
    const onDay = (t: number) => (londonDateOf(t) === day ? 1 : 0);
    const child = onDay(AS_OF - 13 * HOUR);
    const adult = 1 + onDay(AS_OF - HOUR);
    const expected = { child, adult, unknown: 0, total: child + adult };
    expect(figures!.ed_attendances).toEqual(expected);
    expect(figures!.ed_departures).toEqual({ child: 0, adult: 0, unknown: 0, total: 0 });
  });

  it('figure reader should give a series with one split per bucket', async () => {
    const series = await reader.counterSeries(
      { kind: 'trust', code: A },
      'ed_attendances',
      '1h',
      AS_OF - 14 * HOUR,
      AS_OF,
    );
    expect(series).toHaveLength(14);
    expect(series[1]!.value.child).toBe(1);
    expect(series[13]!.value).toEqual({ child: 0, adult: 1, unknown: 0, total: 1 });
    expect(series.reduce((n, s) => n + s.value.total, 0)).toBe(2);
  });

  it('figure reader should read a series longer than one chunk in order, every bucket once', async () => {
    const points = SERIES_CHUNK_BUCKETS * 2 + 50;
    const series = await reader.counterSeries(
      { kind: 'icb', code: ICB.code },
      'ed_attendances',
      '15m',
      AS_OF - points * 15 * MIN,
      AS_OF,
    );
    expect(series).toHaveLength(points);
    const starts = series.map((s) => s.bucket.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(points);
    const at = (t: number) => series.find((s) => s.bucket.start <= t && t < s.bucket.end)!.value;
    expect(at(AS_OF - 13 * HOUR)).toEqual({ child: 1, adult: 0, unknown: 0, total: 1 });
    expect(at(AS_OF - 2 * HOUR)).toEqual({ child: 0, adult: 1, unknown: 0, total: 1 });
    expect(series.reduce((n, s) => n + s.value.total, 0)).toBe(3);
  });

  it('figure reader should sum the gauges of the scope trusts wherever their state lives', async () => {
    const { gauges, beds } = await reader.gauges({ kind: 'icb', code: ICB.code }, AS_OF);
    expect(gauges.ed_in_department).toEqual({ child: 1, adult: 1, unknown: 0, total: 2 });
    expect(gauges.ed_in_department_over_12h).toEqual({ child: 1, adult: 0, unknown: 0, total: 1 });
    expect(gauges.rtt_waiting.total).toBe(1);
    expect(gauges.rtt_over_52w.total).toBe(1);
    expect(gauges.rtt_over_65w.total).toBe(0);
    expect(gauges.ctr_not_meeting).toEqual({ child: 0, adult: 0, unknown: 1, total: 1 });
    expect(beds).toEqual({ ga_beds_open: 150, ga_beds_occupied: 130 });
    const trustOnly = await reader.gauges({ kind: 'trust', code: B }, AS_OF);
    expect(trustOnly.beds).toEqual({ ga_beds_open: 50, ga_beds_occupied: 40 });
  });

  it('figure reader should report freshness and completeness of a scope', async () => {
    expect(await reader.freshness({ kind: 'icb', code: ICB.code })).toBe(AS_OF - 30 * MIN);
    expect(await reader.freshness({ kind: 'trust', code: B })).toBe(AS_OF - 2 * HOUR);
    expect(await reader.freshness({ kind: 'trust', code: 'NOPE' })).toBeNull();
    const { expected, reporting } = await reader.completeness(
      { kind: 'icb', code: ICB.code },
      AS_OF,
    );
    expect(expected).toContain(A);
    expect(expected).toContain(B);
    expect(reporting).toEqual([A]);
  });

  it('figure reader should give the same freshness and completeness from one fresh view', async () => {
    const view = await reader.freshView();
    const scopes = [
      { kind: 'england' },
      { kind: 'icb', code: ICB.code },
      { kind: 'trust', code: A },
      { kind: 'trust', code: B },
      { kind: 'trust', code: 'NOPE' },
    ] as const;
    for (const scope of scopes) {
      expect(view.freshness(scope)).toBe(await reader.freshness(scope));
      for (const since of [AS_OF - HOUR, AS_OF - 3 * HOUR])
        expect(view.completeness(scope, AS_OF, undefined, since)).toEqual(
          await reader.completeness(scope, AS_OF, undefined, since),
        );
    }
  });

  it('figure reader should read a trust from its own partition alone when told which', async () => {
    const space = { prefix: t.prefix, topic: TOPIC, partitions: 3, refdata };
    const placed = createFigureReader(t.redis, {
      ...space,
      partitionOf: (ods) => (ods === A ? 0 : 2),
    });
    const elsewhere = createFigureReader(t.redis, { ...space, partitionOf: () => 1 });
    const day = bucketsOf(AS_OF - 2 * HOUR)[2].id;
    const nothing = { ga_beds_open: 0, ga_beds_occupied: 0 };
    for (const code of [A, B]) {
      const trust = { kind: 'trust', code } as const;
      expect(await placed.counters(trust, '1d', [day])).toEqual(
        await reader.counters(trust, '1d', [day]),
      );
      expect(await placed.gauges(trust, AS_OF)).toEqual(await reader.gauges(trust, AS_OF));
      expect(await placed.freshness(trust)).toBe(await reader.freshness(trust));
      // Partition 1 holds none of their records: a reader told they are there finds nothing.
      const [counts] = await elsewhere.counters(trust, '1d', [day]);
      expect(counts!.ed_attendances.total).toBe(0);
      expect((await elsewhere.gauges(trust, AS_OF)).beds).toEqual(nothing);
      expect(await elsewhere.freshness(trust)).toBeNull();
    }
    // Any other scope is read from every partition.
    const icb = { kind: 'icb', code: ICB.code } as const;
    expect(await elsewhere.gauges(icb, AS_OF)).toEqual(await reader.gauges(icb, AS_OF));
    expect(await elsewhere.counters(icb, '1d', [day])).toEqual(
      await reader.counters(icb, '1d', [day]),
    );
    const beyond = createFigureReader(t.redis, { ...space, partitionOf: () => 3 });
    await expect(beyond.freshness({ kind: 'trust', code: A })).rejects.toThrow(StoreError);
  });

  it('figure reader should merge data quality of a provider across partitions', async () => {
    expect(await reader.dataQuality(A)).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: { FUTURE_DATED: 1 },
      newest: AS_OF - 30 * MIN,
    });
  });
});
