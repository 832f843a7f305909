// Gauge history through probe + plan + Lua, read back with the reader: samples at the ends a
// trust's events cross, from its state before the crossing event; late events never revise them;
// a long silence samples only the last day; hourly, daily and 08:00 beds buckets; memory.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  londonDateOf,
  londonDayBounds,
  type Attribution,
  type Scope,
  type StateOp,
} from '@pulse/kpi';
import { loadRefData } from '@pulse/refdata';
import type { FigureReader, FigureStore, PlanItem } from '../src/index.js';
import { probeAndApply } from './helpers/apply.js';
import { storeFixture } from './helpers/fixture.js';
import { ATTRIBUTION, item, TRUST } from './helpers/items.js';
import type { TestRedis } from './helpers/redis.js';

const MIN = 60_000;
// London midnight two days ago (recent: no key has expired).
const DAY = londonDateOf(Date.now() - 2 * DAY_MS);
const START = londonDayBounds(DAY).start;
const SCOPES: Scope[] = [
  { kind: 'trust', code: TRUST },
  { kind: 'icb', code: ATTRIBUTION.icb },
  { kind: 'region', code: ATTRIBUTION.region },
  { kind: 'england' },
];
const OTHER: Attribution = { trust: 'RYY', icb: ATTRIBUTION.icb, region: ATTRIBUTION.region };

let t: TestRedis;
let store: FigureStore;
let reader: FigureReader;
let offset = 0;

beforeEach(async () => {
  ({ t, store, reader } = await storeFixture(1, loadRefData()));
  offset = 0;
});

async function apply(items: PlanItem[]) {
  const { result } = await probeAndApply(store, {
    partition: 0,
    first: offset,
    items,
    clock: START,
  });
  expect(result).toEqual({ applied: true });
  offset += items.length;
}

const arrive = (at: number, id: string, trust = ATTRIBUTION): PlanItem =>
  item(at, [], [{ op: 'open', set: 'ed', id, group: 'adult', score: at }], {
    providerOds: trust.trust,
    attribution: trust,
  });
const depart = (at: number, id: string): PlanItem =>
  item(at, [], [{ op: 'close', set: 'ed', id, at }]);
const beds = (at: number, open: number, occupied: number): PlanItem =>
  item(
    at,
    [],
    [{ op: 'beds', siteOds: TRUST, bedType: 'GENERAL_ACUTE', at, open, occupied } as StateOp],
  );

async function inDepartment(scope: Scope, size: '15m' | '1h' | '1d', from: number, to: number) {
  return (await reader.gaugeSeries(scope, size, from, to)).map((p) => [
    p.sample.sampled,
    p.sample.gauges.ed_in_department.total,
  ]);
}

describe('gauge history', () => {
  it('should sample each end a trust crosses from its state before the crossing event, in every scope', async () => {
    // Starts at 00:05 (the first end it is sampled at is 00:15), arrivals at 00:10 and 00:40,
    // a departure at 01:20.
    await apply([arrive(START + 5 * MIN, 'a'), arrive(START + 10 * MIN, 'b')]);
    await apply([arrive(START + 40 * MIN, 'c'), depart(START + 80 * MIN, 'a')]);
    for (const scope of SCOPES) {
      expect(await inDepartment(scope, '15m', START, START + 90 * MIN)).toEqual([
        [1, 2], // 00:15: a and b
        [1, 2], // 00:30
        [1, 3], // 00:45: c arrived 00:40
        [1, 3], // 01:00
        [1, 3], // 01:15: the departure at 01:20 comes after
        [0, 0], // 01:30: not crossed yet
      ]);
    }
    expect(await inDepartment({ kind: 'england' }, '1h', START, START + 2 * HOUR_MS)).toEqual([
      [1, 3],
      [0, 0],
    ]);
  });

  it('should not revise a sample for a late event, and count trusts once each per end', async () => {
    await apply([arrive(START, 'a'), arrive(START + 50 * MIN, 'b')]);
    // Late: an arrival at 00:05 after the 00:15..00:45 samples were taken.
    await apply([arrive(START + 5 * MIN, 'late'), arrive(START + 70 * MIN, 'c', OTHER)]);
    await apply([arrive(START + 100 * MIN, 'd', OTHER), arrive(START + 61 * MIN, 'e')]);
    expect(
      await inDepartment({ kind: 'trust', code: TRUST }, '15m', START, START + HOUR_MS),
    ).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 3], // 01:00: b and the late one, crossed by e at 01:01
    ]);
    expect(
      await inDepartment(
        { kind: 'icb', code: OTHER.icb },
        '15m',
        START + HOUR_MS,
        START + 2 * HOUR_MS,
      ),
    ).toEqual([
      [1, 1], // 01:15: RYY's sample (d crossed it); RXX has not crossed 01:15 yet
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
  });

  it('should sample only the last day before an event after a long silence', async () => {
    await apply([arrive(START, 'a')]);
    await apply([arrive(START + 2 * DAY_MS + 1, 'b')]);
    const points = await inDepartment(
      { kind: 'trust', code: TRUST },
      '15m',
      START,
      START + 2 * DAY_MS,
    );
    const sampled = points.filter(([s]) => s === 1).length;
    expect(sampled).toBe(96);
    expect(points.at(-1)).toEqual([1, 1]);
  });

  it('should fill the London day at its end and its G&A beds at 08:00, and stay compact', async () => {
    const end = londonDayBounds(DAY).end;
    const eight = end - 16 * HOUR_MS;
    await apply([beds(START + MIN, 100, 80), arrive(START + 2 * MIN, 'a')]);
    for (let at = START + 20 * MIN; at < eight - 30 * MIN; at += (20 * HOUR_MS) / 24)
      await apply([arrive(at, `x${at}`)]);
    await apply([beds(eight - 10 * MIN, 110, 99), beds(eight + MIN, 120, 60)]);
    for (let at = eight + 20 * MIN; at < end; at += (10 * HOUR_MS) / 12)
      await apply([arrive(at, `y${at}`)]);
    await apply([arrive(end + MIN, 'next day')]);
    const [day] = await reader.gaugeSeries({ kind: 'england' }, '1d', START, end);
    expect(day!.bucket.id).toBe(DAY);
    expect(day!.sample.sampled).toBe(1);
    expect(day!.sample.beds).toEqual({ ga_beds_open: 120, ga_beds_occupied: 60 });
    expect(day!.beds.sampled).toBe(1);
    expect(day!.beds.beds).toEqual({ ga_beds_open: 110, ga_beds_occupied: 99 });
    // One 15-minute sample hash holds four scopes' packed sums: a few hundred bytes.
    const [key] = await t.redis.keys(`${t.prefix}:*:gh:15m:${START + HOUR_MS}`);
    expect(await t.redis.hlen(key!)).toBe(4);
    expect(await t.redis.memory('USAGE', key!)).toBeLessThan(400);
  });
});
