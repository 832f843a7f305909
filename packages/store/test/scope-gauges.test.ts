// Gauge state per scope across the April 2026 ICB mergers: a scope's live gauge sums the trusts
// in it on the day read. R1L and RAJ (QH8 until 31 March), RDE (QJG) and RQW (QM7) all join
// D7T5G on 1 April. Reads of ICBs, the region and England on 31 March and 1 April, before and
// after a partition's record time passes the boundary, equal the sum of their trusts' gauges
// (and the counts written out), whether the scope state serves them or, past its period, the
// trusts' own state does.
import type { Scope, StateOp } from '@pulse/kpi';
import { addToSplit, AGE_GROUPS, emptyBedFigures, emptyGaugeFigures } from '@pulse/kpi';
import { loadRefData } from '@pulse/refdata';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FigureReader, FigureStore, GaugeReading, PlanItem } from '../src/index.js';
import { createFigureStore } from '../src/index.js';
import { storeFixture, TOPIC } from './helpers/fixture.js';
import type { TestRedis } from './helpers/redis.js';
import { item } from './helpers/items.js';

const refdata = loadRefData();
const HOUR = 3_600_000;
const MARCH_31 = Date.parse('2026-03-31T12:00:00Z');
const APRIL_1 = Date.parse('2026-04-01T06:00:00Z');
// R1L's records go to partition 0, the others' to partition 1.

const of = (ods: string, at: number, state: StateOp[]): PlanItem => {
  const r = refdata.resolveProvider(ods, '2026-03-31');
  if (r.status !== 'ok') throw new Error(`${ods} not open`);
  return item(at, [], state, {
    providerOds: ods,
    attribution: { trust: ods, icb: r.icb.code, region: r.region.code },
  });
};
const arrival = (id: string, at: number, group: 'child' | 'adult' = 'adult'): StateOp => ({
  op: 'open',
  set: 'ed',
  id,
  score: at,
  group,
});

let t: TestRedis;
let store: FigureStore;
let reader: FigureReader;
const offsets = [0, 0];

async function apply(partition: number, items: PlanItem[], clock: number, into = store) {
  const first = offsets[partition]!;
  const plan = into.plan({
    partition,
    storedOffset: first === 0 ? null : String(first),
    firstOffset: String(first),
    nextOffset: String(first + items.length),
    items,
    clock,
  });
  expect(await into.apply(plan)).toEqual({ applied: true });
  offsets[partition] = first + items.length;
}

/** The scope's gauges as the sum of its trusts' on the date (each read by trust). */
async function sumOfTrusts(scope: Scope, asOf: number, date: string): Promise<GaugeReading> {
  const sum: GaugeReading = { gauges: emptyGaugeFigures(), beds: emptyBedFigures() };
  for (const trust of refdata.trustsInScope(scope as never, date)) {
    const one = await reader.gauges({ kind: 'trust', code: trust.odsCode }, asOf);
    for (const [figure, split] of Object.entries(one.gauges))
      for (const age of AGE_GROUPS)
        addToSplit(sum.gauges[figure as keyof typeof sum.gauges], age, split[age]);
    sum.beds.ga_beds_open += one.beds.ga_beds_open;
    sum.beds.ga_beds_occupied += one.beds.ga_beds_occupied;
  }
  return sum;
}

const SCOPES: Scope[] = [
  { kind: 'icb', code: 'QH8' },
  { kind: 'icb', code: 'QJG' },
  { kind: 'icb', code: 'D7T5G' },
  { kind: 'region', code: 'Y61' },
  { kind: 'england' },
];

async function expectEverySumOfTrusts(asOf: number, date: string) {
  for (const scope of SCOPES) {
    expect(await reader.gauges(scope, asOf, date), `${JSON.stringify(scope)} ${date}`).toEqual(
      await sumOfTrusts(scope, asOf, date),
    );
  }
}

const inDepartment = async (scope: Scope, asOf: number, date: string) =>
  (await reader.gauges(scope, asOf, date)).gauges.ed_in_department.total;

beforeEach(async () => {
  ({ t, store, reader } = await storeFixture(2, refdata));
  offsets.fill(0);
  const ga = (site: string, open: number, occupied: number): StateOp => ({
    op: 'beds',
    siteOds: site,
    bedType: 'GENERAL_ACUTE',
    at: MARCH_31,
    open,
    occupied,
  });
  await apply(
    0,
    [of('R1L', MARCH_31, [arrival('a1', MARCH_31, 'child'), ga('R1L01', 40, 30)])],
    MARCH_31,
  );
  await apply(
    1,
    [
      of('RAJ', MARCH_31, [arrival('b1', MARCH_31)]),
      of('RAJ', MARCH_31, [
        { op: 'open', set: 'rtt', id: 'p1', score: MARCH_31 - 60 * 7 * 24 * HOUR, group: 'adult' },
      ]),
      of('RDE', MARCH_31, [arrival('c1', MARCH_31), ga('RDE01', 20, 5)]),
      of('RDE', MARCH_31, [
        { op: 'ctr', spellId: 's1', meets: false, group: 'adult', at: MARCH_31 },
      ]),
      of('RQW', MARCH_31, [ga('RQW01', 7, 7)]),
    ],
    MARCH_31,
  );
});

describe('gauge state per scope across the April 2026 ICB mergers', () => {
  it('scope gauges should equal the sum of the trusts in the scope on the day read', async () => {
    await expectEverySumOfTrusts(MARCH_31 + HOUR, '2026-03-31');
    await expectEverySumOfTrusts(APRIL_1, '2026-04-01');
    expect(await inDepartment({ kind: 'icb', code: 'QH8' }, MARCH_31 + HOUR, '2026-03-31')).toBe(2);
    expect(await inDepartment({ kind: 'icb', code: 'D7T5G' }, APRIL_1, '2026-04-01')).toBe(3);
    const d7 = await reader.gauges({ kind: 'icb', code: 'D7T5G' }, APRIL_1, '2026-04-01');
    expect(d7.beds).toEqual({ ga_beds_open: 67, ga_beds_occupied: 42 });
    expect(d7.gauges.rtt_over_52w.total).toBe(1);
    expect(d7.gauges.ctr_not_meeting.total).toBe(1);
    // Served from the scope state: its keys hold the ICBs of both days.
    const keys = await t.keys();
    expect(keys.some((k) => k.includes(':gs:ed:i:QH8.'))).toBe(true);
    expect(keys.some((k) => k.includes(':gs:ed:i:D7T5G.'))).toBe(true);
  });

  it('scope gauges should stay exact once a partition passes the end of a period', async () => {
    // Partition 0 moves into April: QH8's group (31 March) is no longer written there, so a read
    // of 31 March sums R1L's own state on partition 0, and still reads the group on partition 1.
    const later = APRIL_1 - HOUR;
    const snapshot = (at: number, open: number, occupied: number): StateOp => ({
      op: 'beds',
      siteOds: 'R1L01',
      bedType: 'GENERAL_ACUTE',
      at,
      open,
      occupied,
    });
    await apply(0, [of('R1L', later, [arrival('a2', later), snapshot(later, 44, 31)])], later);
    await expectEverySumOfTrusts(MARCH_31 + HOUR, '2026-03-31');
    await expectEverySumOfTrusts(APRIL_1, '2026-04-01');
    expect(await inDepartment({ kind: 'icb', code: 'QH8' }, APRIL_1, '2026-03-31')).toBe(3);
    expect(await inDepartment({ kind: 'icb', code: 'D7T5G' }, APRIL_1, '2026-04-01')).toBe(4);
    const d7 = await reader.gauges({ kind: 'icb', code: 'D7T5G' }, APRIL_1, '2026-04-01');
    expect(d7.beds).toEqual({ ga_beds_open: 71, ga_beds_occupied: 43 });
    // A departure closes a1 in both ICBs' reads.
    await apply(
      0,
      [of('R1L', APRIL_1, [{ op: 'close', set: 'ed', id: 'a1', at: APRIL_1 }])],
      APRIL_1,
    );
    expect(await inDepartment({ kind: 'icb', code: 'QH8' }, APRIL_1, '2026-03-31')).toBe(2);
    expect(await inDepartment({ kind: 'icb', code: 'D7T5G' }, APRIL_1, '2026-04-01')).toBe(3);
    await expectEverySumOfTrusts(APRIL_1, '2026-04-01');
  });

  it('scope gauges should sum the trusts where a partition had state before any was kept', async () => {
    // A store without reference data keeps trust state only; once one that keeps scope state
    // applies, the partition is marked partial and reads sum the trusts there.
    ({ t, store, reader } = await storeFixture(2, refdata));
    offsets.fill(0);
    const plain = createFigureStore(t.redis, { prefix: t.prefix, topic: TOPIC });
    await apply(0, [of('R1L', MARCH_31, [arrival('a1', MARCH_31)])], MARCH_31, plain);
    await apply(0, [of('R1L', MARCH_31, [arrival('a2', MARCH_31)])], MARCH_31);
    await apply(1, [of('RAJ', MARCH_31, [arrival('b1', MARCH_31)])], MARCH_31);
    const markers = (await t.keys()).filter((k) => k.endsWith(':gs')).sort();
    expect(await Promise.all(markers.map((k) => t.redis.hget(k, 'structure')))).toEqual([
      'partial',
      expect.stringMatching(/^[0-9a-f]{16}$/),
    ]);
    expect(await inDepartment({ kind: 'icb', code: 'QH8' }, MARCH_31 + HOUR, '2026-03-31')).toBe(3);
    await expectEverySumOfTrusts(MARCH_31 + HOUR, '2026-03-31');
    await expectEverySumOfTrusts(APRIL_1, '2026-04-01');
  });
});
