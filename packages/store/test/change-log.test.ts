import { beforeEach, describe, expect, it } from 'vitest';
import { bucketsOf, DAY_MS, londonDateOf } from '@pulse/kpi';
import { testRedis as connectTestRedis } from '@pulse/testkit';
import { ACTIVITY_TOPIC } from '@pulse/topology';
import type { Change, ChangeReader, FigureStore, PlanItem, StoreOptions } from '../src/index.js';
import {
  createChangeReader,
  createFigureStore,
  CursorExpiredError,
  StoreError,
} from '../src/index.js';
import { probeAndApply } from './helpers/apply.js';
import { ATTRIBUTION, item, one, TRUST } from './helpers/items.js';
import type { TestRedis } from './helpers/redis.js';
import { testRedis } from './helpers/redis.js';

const MIN = 60_000;
const T0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS + 9 * 60 * MIN + 7 * MIN;
const TOPIC = ACTIVITY_TOPIC;
const PARTITIONS = 3;

let t: TestRedis;
let store: FigureStore;
let reader: ChangeReader;
const offsets = new Map<number, number>();

function setUp(options: Partial<StoreOptions> = {}) {
  store = createFigureStore(t.redis, { prefix: t.prefix, topic: TOPIC, ...options });
  reader = createChangeReader(t.redis, { prefix: t.prefix, topic: TOPIC, partitions: PARTITIONS });
  offsets.clear();
}

beforeEach(async () => {
  t = await testRedis();
  setUp();
});

/** Applies items as the partition's next records; returns whether the fence passed. */
async function apply(partition: number, items: PlanItem[]) {
  const first = offsets.get(partition) ?? 0;
  const { result } = await probeAndApply(store, { partition, first, items, clock: T0 + 60 * MIN });
  offsets.set(partition, first + items.length);
  return result.applied;
}

describe('change log', () => {
  it('change log should list the scopes, buckets, providers and emittedAt an apply changed', async () => {
    const head = await reader.headCursor();
    const arrival = item(
      T0,
      [one('ed_attendances')],
      [{ op: 'open', set: 'ed', id: 'a1', group: 'adult', score: T0 }],
    );
    await apply(1, [
      { ...arrival, emittedAt: T0 + 2_000 },
      { ...item(T0 + 20 * MIN, [one('ed_attendances', 'child')]), emittedAt: T0 + 20 * MIN + 500 },
    ]);
    const { changes, nextCursor } = await reader.readChanges(head);
    expect(changes).toHaveLength(1);
    const [change] = changes;
    const refs = (at: number) => bucketsOf(at).map(({ size, id }) => ({ size, id }));
    const buckets = [...refs(T0), ...refs(T0 + 20 * MIN).filter((b) => b.size === '15m')];
    const scopes = [`t:${TRUST}`, `i:${ATTRIBUTION.icb}`, `r:${ATTRIBUTION.region}`, 'e'];
    expect(change).toMatchObject({
      partition: 1,
      offsets: { first: '0', next: '2' },
      events: 2,
      dataQuality: [TRUST],
      emittedAt: { newest: T0 + 20 * MIN + 500, oldest: T0 + 2_000 },
      cursor: nextCursor,
    });
    expect(change!.scopes).toEqual(
      scopes.map((scope) => ({ scope, buckets: expect.arrayContaining(buckets), gauges: true })),
    );
    for (const scope of change!.scopes) expect(scope.buckets).toHaveLength(buckets.length);
    expect(buckets.some((b) => b.size === '1d' && b.id === londonDateOf(T0))).toBe(true);
    // Readable exactly when the figures are: the counter it names holds the event.
    const dayKey = `${t.prefix}:{${TOPIC}:1}:c:e:1d:${londonDateOf(T0)}`;
    expect(await t.redis.hget(dayKey, 'ed_attendances:adult')).toBe('1');
    expect(await reader.readChanges(nextCursor)).toEqual({ changes: [], nextCursor });
  });

  it('change log should list a bucket whose only change is coverage (a first report)', async () => {
    // BED_STATE and criteria-to-reside events increment no counter: their first report of a
    // family in a bucket changes only its coverage (reported:<family>), for all four scopes.
    const beds = (at: number) =>
      item(at, [], [{ op: 'beds', siteOds: TRUST, bedType: 'GA', at, open: 10, occupied: 9 }]);
    const scopes = [`t:${TRUST}`, `i:${ATTRIBUTION.icb}`, `r:${ATTRIBUTION.region}`, 'e'];
    const refs = (at: number) => bucketsOf(at).map(({ size, id }) => ({ size, id }));
    let head = await reader.headCursor();
    await apply(0, [beds(T0), beds(T0 + MIN)]);
    let [change] = (await reader.readChanges(head)).changes;
    expect(change!.scopes).toEqual(
      scopes.map((scope) => ({ scope, buckets: expect.arrayContaining(refs(T0)), gauges: true })),
    );
    for (const scope of change!.scopes) expect(scope.buckets).toHaveLength(3);
    // The trust reported beds in those buckets already: their coverage is unchanged.
    head = await reader.headCursor();
    await apply(0, [beds(T0 + 2 * MIN)]);
    [change] = (await reader.readChanges(head)).changes;
    expect(change!.scopes).toEqual(scopes.map((scope) => ({ scope, buckets: [], gauges: true })));
    // A first report of another family (criteria to reside) in a new 15-minute bucket only.
    head = await reader.headCursor();
    const at = T0 + 20 * MIN;
    await apply(0, [
      item(at, [], [{ op: 'ctr', spellId: 's1', meets: false, group: 'adult', at }]),
      beds(at),
    ]);
    [change] = (await reader.readChanges(head)).changes;
    expect(change!.scopes).toEqual(
      scopes.map((scope) => ({ scope, buckets: expect.arrayContaining(refs(at)), gauges: true })),
    );
    for (const scope of change!.scopes) expect(scope.buckets).toHaveLength(3);
  });

  it('change log should add nothing when an apply is fenced out', async () => {
    await apply(0, [item(T0, [one('ed_attendances')])]);
    const head = await reader.headCursor();
    const zombie = store.plan({
      partition: 0,
      storedOffset: null,
      firstOffset: '0',
      nextOffset: '1',
      items: [item(T0, [one('ed_attendances')])],
      clock: T0,
    });
    expect(await store.apply(zombie)).toEqual({ applied: false, storedOffset: '1' });
    expect((await reader.readChanges(head)).changes).toEqual([]);
    expect(await reader.headCursor()).toBe(head);
  });

  it('change log should list a batch of duplicates only as a data-quality change', async () => {
    const x = item(T0, [one('ed_attendances')]);
    await apply(2, [x]);
    const head = await reader.headCursor();
    await apply(2, [{ ...x }]);
    const [change] = (await reader.readChanges(head)).changes;
    expect(change).toMatchObject({ events: 0, scopes: [], dataQuality: [TRUST] });
    expect(change!.emittedAt).toBeUndefined();
  });

  it('change log should return changes of every partition oldest first, limit by limit, with no gap or repeat', async () => {
    const start = await reader.headCursor();
    const order: string[] = [];
    for (let n = 0; n < 9; n++) {
      const partition = n % PARTITIONS;
      await apply(partition, [item(T0 + n * MIN, [one('ed_attendances')])]);
      order.push(`${partition}:${offsets.get(partition)}`);
    }
    const seen: Change[] = [];
    let cursor = start;
    for (let page = 0; page < 5; page++) {
      const { changes, nextCursor } = await reader.readChanges(cursor, { limit: 2 });
      expect(changes.length).toBeLessThanOrEqual(2);
      seen.push(...changes);
      if (changes.length > 0) expect(changes.at(-1)!.cursor).toBe(nextCursor);
      cursor = nextCursor;
    }
    const names = seen.map((c) => `${c.partition}:${c.offsets.next}`);
    // Every change once; each partition's in apply order.
    expect(names.toSorted()).toEqual(order.toSorted());
    for (let p = 0; p < PARTITIONS; p++)
      expect(names.filter((name) => name.startsWith(`${p}:`))).toEqual(
        order.filter((name) => name.startsWith(`${p}:`)),
      );
    // Oldest first by apply time (Redis's millisecond clock), ties by partition: two applies on
    // different partitions may share a millisecond.
    const keys = seen.map((c) => [c.at, c.partition] as const);
    expect(keys).toEqual(keys.toSorted(([a, p], [b, q]) => a - b || p - q));
  });

  it('change log cursor should be valid on another connection (another feeds-api replica)', async () => {
    const head = await reader.headCursor();
    await apply(0, [item(T0, [one('ed_attendances')])]);
    const other = await connectTestRedis('store-test-replica');
    {
      const replica = createChangeReader(other, {
        prefix: t.prefix,
        topic: TOPIC,
        partitions: PARTITIONS,
      });
      const mine = await reader.readChanges(head);
      const theirs = await replica.readChanges(head);
      expect(theirs).toEqual(mine);
      expect(theirs.changes).toHaveLength(1);
      expect(await replica.headCursor()).toBe(mine.nextCursor);
    }
  });

  it('change log should keep about maxLength entries and report a cursor trimmed past as expired', async () => {
    setUp({ changeLog: { maxLength: 10 } });
    const start = await reader.headCursor();
    await apply(0, [item(T0, [one('ed_attendances')])]);
    const afterFirst = await reader.headCursor();
    // Trimming (MAXLEN ~) removes whole stream nodes of 100 entries: add enough to fill some.
    for (let n = 0; n < 250; n++) await apply(0, [item(T0, [one('ed_attendances')])]);
    const length = await t.redis.xlen(`${t.prefix}:{${TOPIC}:0}:changes`);
    expect(length).toBeLessThanOrEqual(110);
    await expect(reader.readChanges(start)).rejects.toBeInstanceOf(CursorExpiredError);
    const err = await reader.readChanges(afterFirst).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CursorExpiredError);
    expect(err).toMatchObject({ code: 'CURSOR_EXPIRED', partitions: [0] });
    // A cursor within what is kept still reads every change after it.
    const recent = await reader.headCursor();
    for (let n = 0; n < 3; n++) await apply(0, [item(T0, [one('ed_attendances')])]);
    expect((await reader.readChanges(recent)).changes).toHaveLength(3);
  });

  it('change log should drop entries older than maxAgeMs', async () => {
    setUp({ changeLog: { maxAgeMs: 1 } });
    const start = await reader.headCursor();
    for (let n = 0; n < 250; n++) await apply(0, [item(T0, [one('ed_attendances')])]);
    expect(await t.redis.xlen(`${t.prefix}:{${TOPIC}:0}:changes`)).toBeLessThan(250);
    await expect(reader.readChanges(start)).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it('change log cursor should be expired when the log was reset (the stream is gone)', async () => {
    await apply(0, [item(T0, [one('ed_attendances')])]);
    const head = await reader.headCursor();
    await t.redis.unlink(`${t.prefix}:{${TOPIC}:0}:changes`);
    await expect(reader.readChanges(head)).rejects.toBeInstanceOf(CursorExpiredError);
  });

  it('change log reader should refuse a string that is not a cursor of its partition count', async () => {
    const head = await reader.headCursor();
    const four = createChangeReader(t.redis, { prefix: t.prefix, topic: TOPIC, partitions: 4 });
    for (const bad of ['', 'c1', 'c2.0-0-0.0-0-0.0-0-0', 'c1.0-0-0.x_y.0-0-0', head + '.0-0-0']) {
      await expect(reader.readChanges(bad)).rejects.toMatchObject({ code: 'BAD_CURSOR' });
    }
    await expect(four.readChanges(head)).rejects.toBeInstanceOf(StoreError);
  });
});
