import { beforeEach, describe, expect, it } from 'vitest';
import type { FigureStore, PlanInput } from '../src/index.js';
import { lastEndBefore, londonDateOf } from '@pulse/kpi';
import {
  createFigureStore,
  encodePlan,
  MAX_PLAN_ARGUMENTS,
  planArguments,
  planFits,
  StoreError,
} from '../src/index.js';
import { ATTRIBUTION, item, one, TRUST } from './helpers/items.js';
import type { TestRedis } from './helpers/redis.js';
import { testRedis } from './helpers/redis.js';
import { keySlot } from './helpers/slot.js';
import { DAY_MS as DAY } from '@pulse/kpi';
import { ACTIVITY_TOPIC } from '@pulse/topology';

const MIN = 60_000;
// 09:07 UTC yesterday: recent, so no key has expired yet (expiries are absolute).
const T0 = Math.floor(Date.now() / DAY) * DAY - DAY + 9 * 60 * MIN + 7 * MIN;
const UTC_DAY = new Date(T0).toISOString().slice(0, 10);
const TOPIC = ACTIVITY_TOPIC;

let t: TestRedis;
let store: FigureStore;
let partition = 0;

// A fresh key prefix per test, removed when it finishes.
beforeEach(async () => {
  t = await testRedis();
  store = createFigureStore(t.redis, { prefix: t.prefix, topic: TOPIC });
});

/** Each test on its own partition, so their offsets and state stay apart. */
function batch(overrides: Partial<PlanInput>): PlanInput {
  return {
    partition,
    storedOffset: null,
    firstOffset: '0',
    nextOffset: '10',
    items: [],
    clock: T0 + 60 * MIN,
    ...overrides,
  };
}

const p = () => `${t.prefix}:{${TOPIC}:${partition}}`;
const trustDayKey = () => `${p()}:c:t:${TRUST}:1d:${londonDateOf(T0)}`;

async function applyBatch(input: Partial<PlanInput>) {
  const partitionOf = input.partition ?? partition;
  const items = input.items ?? [];
  const probe = await store.probe(partitionOf, items);
  return store.apply(
    store.plan(
      batch({
        ...input,
        storedOffset: probe.storedOffset,
        seen: probe.seen,
        discharged: probe.discharged,
      }),
    ),
  );
}

describe('figure store', () => {
  it('figure store should apply a plan once when it is applied twice with the same fence', async () => {
    partition = 1;
    const plan = store.plan(batch({ items: [item(T0, [one('ed_attendances')])] }));
    expect(await store.apply(plan)).toEqual({ applied: true });
    expect(await store.apply(plan)).toEqual({ applied: false, storedOffset: '10' });
    expect(await t.redis.hgetall(trustDayKey())).toEqual({
      'ed_attendances:adult': '1',
      'reported:ae': '1',
    });
    expect(await store.storedOffset(partition)).toBe('10');
  });

  it('figure store should change nothing when fenced out', async () => {
    partition = 2;
    await applyBatch({
      firstOffset: '0',
      nextOffset: '5',
      items: [item(T0, [one('ed_attendances')])],
    });
    const before = await snapshot();
    const zombie = store.plan(
      batch({ firstOffset: '0', nextOffset: '7', items: [item(T0, [one('ed_attendances')], [])] }),
    );
    expect(await store.apply(zombie)).toEqual({ applied: false, storedOffset: '5' });
    expect(await snapshot()).toEqual(before);
    // The live consumer continues from the stored offset.
    expect(
      await applyBatch({
        firstOffset: '5',
        nextOffset: '6',
        items: [item(T0, [one('ed_attendances')])],
      }),
    ).toEqual({
      applied: true,
    });
    expect(await t.redis.hget(trustDayKey(), 'ed_attendances:adult')).toBe('2');
  });

  it('figure store should fence out a consumer that probed before a zombie stored the first offset (regression: fence gap with no stored offset)', async () => {
    partition = 13;
    const x = item(T0, [one('ed_attendances')]);
    // B's batch is offsets 5 and 6: a new event and a resend of x. B probes: nothing stored yet.
    const mine = [item(T0, [one('ed_attendances')]), { ...x }];
    const probeB = await store.probe(partition, mine);
    expect(probeB).toEqual({
      storedOffset: null,
      seen: new Set(),
      discharged: new Map(),
      sampledUntil: new Map(),
    });
    // Zombie A applies offsets 0-4, x among them, up to exactly B's first offset.
    const probeA = await store.probe(partition, [x]);
    const planA = store.plan(
      batch({ storedOffset: probeA.storedOffset, firstOffset: '0', nextOffset: '5', items: [x] }),
    );
    expect(await store.apply(planA)).toEqual({ applied: true });
    // B's probe no longer holds (none stored -> 5): fenced, nothing changed.
    const stale = { storedOffset: null, firstOffset: '5', nextOffset: '7', items: mine };
    expect(await store.apply(store.plan(batch({ ...stale, seen: probeB.seen })))).toEqual({
      applied: false,
      storedOffset: '5',
    });
    // Re-probed, B sees x applied: it counts once.
    const again = await store.probe(partition, mine);
    expect(again).toEqual({
      storedOffset: '5',
      seen: new Set([x.eventId]),
      discharged: new Map(),
      // x's trust started its gauge history at the last 15-minute end before x.
      sampledUntil: new Map([[TRUST, lastEndBefore(T0)]]),
    });
    const fresh = { ...stale, storedOffset: again.storedOffset, seen: again.seen };
    expect(await store.apply(store.plan(batch(fresh)))).toEqual({ applied: true });
    expect(await t.redis.hget(trustDayKey(), 'ed_attendances:adult')).toBe('2');
    expect(await t.redis.hget(`${p()}:dq:${TRUST}`, 'duplicates')).toBe('1');
  });

  it('figure store should fence out a plan probed against an offset when none is stored', async () => {
    partition = 14;
    const plan = store.plan(
      batch({ storedOffset: '3', firstOffset: '3', items: [item(T0, [one('ed_attendances')])] }),
    );
    expect(await store.apply(plan)).toEqual({ applied: false, storedOffset: null });
    expect(await store.storedOffset(partition)).toBeNull();
  });

  it('figure store should refuse to plan records below the stored offset they were probed against', () => {
    expect(() => store.plan(batch({ storedOffset: '4', firstOffset: '3' }))).toThrow(/below/);
  });

  it('figure store should count duplicates within and across batches once', async () => {
    partition = 3;
    const first = item(T0, [one('ed_attendances', 'child')]);
    const second = item(T0 + MIN, [one('ed_attendances', 'child')]);
    await applyBatch({ firstOffset: '0', nextOffset: '3', items: [first, second, { ...first }] });
    await applyBatch({ firstOffset: '3', nextOffset: '5', items: [{ ...second }, { ...first }] });
    expect(await t.redis.hget(trustDayKey(), 'ed_attendances:child')).toBe('2');
    expect(await t.redis.hgetall(`${p()}:dq:${TRUST}`)).toEqual({
      accepted: '2',
      duplicates: '3',
      newest: String(T0 + MIN),
    });
  });

  it('figure store should count rejections per provider and code', async () => {
    partition = 4;
    await applyBatch({
      rejections: [
        { providerOds: TRUST, code: 'TOO_LATE' },
        { providerOds: TRUST, code: 'TOO_LATE' },
        { providerOds: 'RZZ', code: 'UNKNOWN_ORGANISATION' },
      ],
    });
    expect(await t.redis.hgetall(`${p()}:dq:${TRUST}`)).toEqual({ 'rejected:TOO_LATE': '2' });
    expect(await t.redis.hgetall(`${p()}:dq:RZZ`)).toEqual({
      'rejected:UNKNOWN_ORGANISATION': '1',
    });
  });

  it('figure store should keep an attendance closed when its departure arrives before its arrival', async () => {
    partition = 5;
    const open = { op: 'open', set: 'ed', id: 'att-1', score: T0, group: 'child' } as const;
    const close = { op: 'close', set: 'ed', id: 'att-1', at: T0 + 30 * MIN } as const;
    await applyBatch({ items: [item(T0 + 30 * MIN, [], [close]), item(T0, [], [open])] });
    expect(await t.redis.zcard(`${p()}:g:ed:${TRUST}:child`)).toBe(0);
    expect(await t.redis.zscore(`${p()}:g:closed:ed:${TRUST}`, 'att-1')).toBe(
      String(T0 + 30 * MIN),
    );
    // In order, across batches and groups: opened as unknown, closed by a departure.
    await applyBatch({
      firstOffset: '10',
      nextOffset: '11',
      items: [item(T0, [], [{ ...open, id: 'att-2', group: 'unknown' }])],
    });
    expect(await t.redis.zrange(`${p()}:g:ed:${TRUST}:unknown`, '0', '-1')).toEqual(['att-2']);
    await applyBatch({
      firstOffset: '11',
      nextOffset: '12',
      items: [item(T0, [], [{ ...close, id: 'att-2' }])],
    });
    expect(await t.redis.zcard(`${p()}:g:ed:${TRUST}:unknown`)).toBe(0);
  });

  it('figure store should move an open id to the group of a later open', async () => {
    partition = 10;
    const open = (group: 'child' | 'unknown') =>
      ({ op: 'open', set: 'rtt', id: 'path-1', score: T0, group }) as const;
    await applyBatch({
      items: [item(T0, [], [open('unknown')]), item(T0 + MIN, [], [open('child')])],
    });
    expect(await t.redis.zcard(`${p()}:g:rtt:${TRUST}:unknown`)).toBe(0);
    expect(await t.redis.zrange(`${p()}:g:rtt:${TRUST}:child`, '0', '-1')).toEqual(['path-1']);
  });

  it('figure store should ignore a criteria-to-reside change after discharge and count not-meeting discharges', async () => {
    partition = 6;
    const inc = [one('discharges_not_meeting_ctr', 'adult')];
    await applyBatch({
      items: [
        item(T0, [], [{ op: 'ctr', spellId: 's1', meets: false, group: 'adult', at: T0 }]),
        item(T0, [], [{ op: 'ctr', spellId: 's2', meets: false, group: 'adult', at: T0 }]),
        item(T0, [], [{ op: 'ctr', spellId: 's2', meets: true, group: 'adult', at: T0 }]),
        item(
          T0 + MIN,
          [one('discharges_home')],
          [{ op: 'discharge', spellId: 's1', at: T0 + MIN, ifNotMeeting: inc }],
        ),
        item(
          T0 + MIN,
          [one('discharges_home')],
          [{ op: 'discharge', spellId: 's2', at: T0 + MIN, ifNotMeeting: inc }],
        ),
        item(
          T0 + 2 * MIN,
          [],
          [{ op: 'ctr', spellId: 's1', meets: false, group: 'adult', at: T0 }],
        ),
        item(
          T0 + 2 * MIN,
          [],
          [{ op: 'ctr', spellId: 's3', meets: false, group: 'child', at: T0 }],
        ),
      ],
    });
    expect(await t.redis.zrange(`${p()}:g:nmctr:${TRUST}:adult`, '0', '-1')).toEqual([]);
    expect(await t.redis.zrange(`${p()}:g:nmctr:${TRUST}:child`, '0', '-1')).toEqual(['s3']);
    expect(await t.redis.hgetall(trustDayKey())).toEqual({
      'discharges_home:adult': '2',
      'discharges_not_meeting_ctr:adult': '1',
      'reported:inpatient': '1',
    });
  });

  it('figure store should count each trust once per bucket and family in its parents, across batches', async () => {
    partition = 15;
    const other = { providerOds: 'RYY', attribution: { ...ATTRIBUTION, trust: 'RYY' } };
    const beds = {
      op: 'beds',
      siteOds: TRUST,
      bedType: 'GENERAL_ACUTE',
      at: T0,
      open: 9,
      occupied: 8,
    } as const;
    await applyBatch({
      items: [
        item(T0, [one('ed_attendances')]),
        item(T0 + MIN, [one('ed_departures')]),
        item(T0, [], [beds]),
        item(T0 + 2 * MIN, [one('ed_attendances')], [], other),
      ],
    });
    await applyBatch({
      firstOffset: '10',
      nextOffset: '11',
      items: [
        item(T0 + 3 * MIN, [one('ed_attendances')]),
        item(T0 + 16 * MIN, [one('rtt_clock_starts_recorded')]),
      ],
    });
    const hash = (scope: string, size: '15m' | '1d', id: string) =>
      t.redis.hmget(
        `${p()}:c:${scope}:${size}:${id}`,
        'reported:ae',
        'reported:beds',
        'reported:rtt',
      );
    const quarter = String(T0 - (T0 % (15 * MIN)));
    expect(await hash(`t:${TRUST}`, '15m', quarter)).toEqual(['1', '1', null]);
    expect(await hash('t:RYY', '15m', quarter)).toEqual(['1', null, null]);
    for (const parent of [`i:${ATTRIBUTION.icb}`, `r:${ATTRIBUTION.region}`, 'e']) {
      expect(await hash(parent, '15m', quarter), parent).toEqual(['2', '1', null]);
      expect(await hash(parent, '1d', londonDateOf(T0)), parent).toEqual(['2', '1', '1']);
    }
    // Each trust's newest event of each family, beside its newest event.
    expect(
      await t.redis.hmget(`${p()}:fresh`, `t:${TRUST}:ae`, `t:${TRUST}:rtt`, 't:RYY:ae'),
    ).toEqual([String(T0 + 3 * MIN), String(T0 + 16 * MIN), String(T0 + 2 * MIN)]);
  });

  it('figure store should count a discharge by the criteria in force at it, correcting its bucket when a change arrives after the discharge', async () => {
    partition = 15;
    const inc = [one('discharges_not_meeting_ctr', 'adult')];
    const ctr = (spellId: string, meets: boolean, at: number) =>
      item(at, [], [{ op: 'ctr', spellId, meets, group: 'adult', at }]);
    const discharge = (spellId: string, at: number) =>
      item(at, [one('discharges_home')], [{ op: 'discharge', spellId, at, ifNotMeeting: inc }]);
    const notMeeting = async () =>
      Number(await t.redis.hget(trustDayKey(), 'discharges_not_meeting_ctr:adult'));
    // s1 meets, then is discharged: not counted.
    await applyBatch({ items: [ctr('s1', true, T0 - 3 * MIN), discharge('s1', T0)] });
    expect(await notMeeting()).toBe(0);
    // A later batch brings a change dated before the discharge: it no longer met. Counted now, in
    // the discharge's own buckets.
    await applyBatch({
      storedOffset: '10',
      firstOffset: '10',
      nextOffset: '20',
      items: [ctr('s1', false, T0 - MIN)],
    });
    expect(await notMeeting()).toBe(1);
    // A change dated after the discharge has no bearing; one between corrects it back.
    await applyBatch({
      storedOffset: '20',
      firstOffset: '20',
      nextOffset: '30',
      items: [ctr('s1', true, T0 + MIN), ctr('s1', true, T0 - 2 * MIN)],
    });
    expect(await notMeeting()).toBe(1);
    await applyBatch({
      storedOffset: '30',
      firstOffset: '30',
      nextOffset: '40',
      items: [ctr('s1', true, T0 - MIN / 2)],
    });
    expect(await notMeeting()).toBe(0);
    expect(await t.redis.hget(trustDayKey(), 'discharges_home:adult')).toBe('1');
    // Not discharged: the gauge follows the latest change by event time, not arrival.
    await applyBatch({
      storedOffset: '40',
      firstOffset: '40',
      nextOffset: '50',
      items: [ctr('s2', false, T0 + 2 * MIN), ctr('s2', true, T0 + MIN)],
    });
    expect(await t.redis.zrange(`${p()}:g:nmctr:${TRUST}:adult`, '0', '-1')).toEqual(['s2']);
  });

  it('figure store should ignore an older bed snapshot', async () => {
    partition = 7;
    const beds = (at: number, open: number) =>
      ({
        op: 'beds',
        siteOds: 'RXX01',
        bedType: 'GENERAL_ACUTE',
        at,
        open,
        occupied: open - 1,
      }) as const;
    await applyBatch({
      items: [item(T0 + MIN, [], [beds(T0 + MIN, 50)]), item(T0, [], [beds(T0, 40)])],
    });
    expect(await t.redis.hgetall(`${p()}:g:beds:${TRUST}`)).toEqual({
      'RXX01:GENERAL_ACUTE': `${T0 + MIN}:50:49`,
    });
  });

  it('figure store should touch keys of one hash slot and set their expiries', async () => {
    partition = 8;
    const plan = store.plan(
      batch({
        items: [
          item(
            T0,
            [one('ed_attendances')],
            [{ op: 'open', set: 'ed', id: 'a', score: T0, group: 'adult' }],
          ),
          item(
            T0 + 20 * MIN,
            [one('ed_departures')],
            [{ op: 'close', set: 'ed', id: 'a', at: T0 + 20 * MIN }],
          ),
        ],
      }),
    );
    const { keys: scriptKeys, argv } = encodePlan(plan);
    expect(planArguments(plan)).toBeGreaterThanOrEqual(scriptKeys.length + argv.length);
    expect(await store.apply(plan)).toEqual({ applied: true });
    const keys = await t.keys();
    const mine = keys.filter((k) => k.includes(`{${TOPIC}:8}`));
    expect(mine.length).toBeGreaterThan(20);
    expect(new Set(mine.map(keySlot)).size).toBe(1);
    const hourStart = Math.floor(T0 / 3_600_000) * 3_600_000;
    const expiry = async (key: string) => t.redis.pexpiretime(key);
    expect(await expiry(`${p()}:c:e:1h:${hourStart}`)).toBe(hourStart + 3_600_000 + 400 * DAY);
    expect(await expiry(`${p()}:c:i:${ATTRIBUTION.icb}:15m:${T0 - 7 * MIN}`)).toBe(
      T0 - 7 * MIN + 15 * MIN + 35 * DAY,
    );
    expect(await expiry(`${p()}:seen:${UTC_DAY}`)).toBe(Date.parse(UTC_DAY) + 16 * DAY);
    expect(await expiry(`${p()}:offset`)).toBe(-1);
  });

  it('figure store should keep a replayed bucket older than its retention for its full retention on the writer clock', async () => {
    partition = 11;
    // The writer replays a period 60 days back: its clock is Redis's time minus 60 days.
    const offset = -60 * DAY;
    const replay = createFigureStore(t.redis, {
      prefix: t.prefix,
      topic: TOPIC,
      clockOffsetMs: offset,
    });
    const at = T0 + offset;
    const quarter = Math.floor(at / (15 * MIN)) * 15 * MIN;
    const plan = replay.plan(
      batch({ items: [item(at, [one('ed_attendances')])], clock: at + 60 * MIN }),
    );
    expect(await replay.apply(plan)).toEqual({ applied: true });
    // 60 days is past the 35-day retention of 15-minute buckets on Redis's clock, not the writer's.
    const counters = `${p()}:c:t:${TRUST}:15m:${quarter}`;
    expect(await t.redis.hgetall(counters)).toEqual({
      'ed_attendances:adult': '1',
      'reported:ae': '1',
    });
    expect(await t.redis.pexpiretime(counters)).toBe(quarter + 15 * MIN + 35 * DAY - offset);
    const seenDay = new Date(at).toISOString().slice(0, 10);
    expect(await t.redis.scard(`${p()}:seen:${seenDay}`)).toBe(1);
    expect(await t.redis.pexpiretime(`${p()}:seen:${seenDay}`)).toBe(
      Date.parse(seenDay) + 16 * DAY - offset,
    );
  });

  it('figure store should refuse a plan above MAX_PLAN_ARGUMENTS with PLAN_TOO_LARGE and change nothing', async () => {
    partition = 12;
    const plan = store.plan(batch({ items: [item(T0, [one('ed_attendances')])] }));
    expect(planFits(plan)).toBe(true);
    const [seenKey, ids] = [...plan.seen][0]!;
    plan.seen.set(seenKey, [
      ...ids,
      ...Array.from({ length: MAX_PLAN_ARGUMENTS }, (_, i) => `x${i}`),
    ]);
    expect(planFits(plan)).toBe(false);
    expect(() => encodePlan(plan)).toThrow(StoreError);
    await expect(store.apply(plan)).rejects.toMatchObject({
      code: 'PLAN_TOO_LARGE',
      canRetry: false,
    });
    expect(await store.storedOffset(partition)).toBeNull();
    expect(await t.redis.exists(trustDayKey())).toBe(0);
  });

  it('figure store should refuse to plan a non-integer increment', () => {
    const bad = item(T0, [{ figure: 'ambulance_handover_ms_lost', group: 'adult', by: 1.5 }]);
    expect(() => store.plan(batch({ items: [bad] }))).toThrow(/not an integer/);
  });

  it('figure store should trim closed ids older than the grace period', async () => {
    partition = 9;
    const close = (id: string, at: number) => item(at, [], [{ op: 'close', set: 'rtt', id, at }]);
    const clock = T0 + 20 * DAY;
    await applyBatch({ clock, items: [close('old', T0), close('new', clock - MIN)] });
    expect(await t.redis.zrange(`${p()}:g:closed:rtt:${TRUST}`, '0', '-1')).toEqual(['new']);
  });
});

async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await t.keys()).filter((k) => k.startsWith(p())).sort()) {
    const type = await t.redis.type(key);
    out[key] =
      type === 'hash'
        ? await t.redis.hgetall(key)
        : type === 'set'
          ? (await t.redis.smembers(key)).sort()
          : type === 'zset'
            ? await t.redis.zrange(key, '0', '-1', 'WITHSCORES')
            : type === 'stream'
              ? await t.redis.xrange(key, '-', '+')
              : await t.redis.get(key);
  }
  return out;
}
