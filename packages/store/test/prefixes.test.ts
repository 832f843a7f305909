import { DAY_MS as DAY } from '@pulse/kpi';
import { ACTIVITY_TOPIC, activePrefixKey, rebuildPrefix } from '@pulse/topology';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createFigureStore,
  dropPrefix,
  followActivePrefix,
  PrefixRetiredError,
  readActivePrefix,
  RETIRED_OFFSET,
  retirePrefix,
  SEEN_REPLAY_FLOOR_MS,
} from '../src/index.js';
import { probeAndApply } from './helpers/apply.js';
import { item, one } from './helpers/items.js';
import { testRedis, type TestRedis } from './helpers/redis.js';

const TOPIC = ACTIVITY_TOPIC;
const MIN = 60_000;
const T0 = Math.floor(Date.now() / DAY) * DAY - DAY + 9 * 60 * MIN;

let t: TestRedis;
beforeEach(async () => {
  t = await testRedis();
});

describe('key prefixes', () => {
  it('a retired prefix should fence out every apply and tell its writer, from the probe on', async () => {
    const store = createFigureStore(t.redis, { prefix: t.prefix, topic: TOPIC });
    await probeAndApply(store, {
      partition: 0,
      first: 0,
      items: [item(T0, [one('ed_attendances')])],
      clock: T0,
    });
    // A writer probed before the rebuild retired the prefix, and applies after it.
    const items = [item(T0 + MIN, [one('ed_attendances')])];
    const probe = await store.probe(0, items);
    const held = await retirePrefix(t.redis, { prefix: t.prefix, topic: TOPIC, partitions: 2 });
    expect(held).toEqual(
      new Map([
        [0, '1'],
        [1, null],
      ]),
    );
    const plan = store.plan({
      partition: 0,
      storedOffset: probe.storedOffset,
      firstOffset: '1',
      nextOffset: '2',
      items,
      seen: probe.seen,
      clock: T0,
    });
    await expect(store.apply(plan)).rejects.toBeInstanceOf(PrefixRetiredError);
    await expect(store.probe(1, items)).rejects.toBeInstanceOf(PrefixRetiredError);
    await expect(store.storedOffset(0)).rejects.toBeInstanceOf(PrefixRetiredError);
    // Retiring again reports nothing held: the first retirement's offsets are the ones that count.
    expect(await retirePrefix(t.redis, { prefix: t.prefix, topic: TOPIC, partitions: 1 })).toEqual(
      new Map([[0, null]]),
    );
  });

  it('dropPrefix should unlink only the figures of its prefix and keep retired offsets, which expire', async () => {
    const old = t.prefix;
    const next = rebuildPrefix(old, 1_700_000_000_000);
    for (const prefix of [old, next]) {
      const store = createFigureStore(t.redis, { prefix, topic: TOPIC });
      for (const partition of [0, 1])
        await probeAndApply(store, {
          partition,
          first: 0,
          items: [item(T0, [one('ed_attendances')])],
          clock: T0,
        });
    }
    // Keys beside the figures under the same base: the pointer, another topic's figures.
    await t.redis.set(activePrefixKey(old), next);
    await t.redis.set(`${old}:{other.topic:0}:offset`, '5');
    const before = await t.keys();
    const ofNext = before.filter((k) => k.startsWith(`${next}:`));
    await retirePrefix(t.redis, { prefix: old, topic: TOPIC, partitions: 2 });

    const dropped = await dropPrefix(t.redis, { prefix: old, topic: TOPIC }, 5);
    const after = await t.keys();
    const oldFigures = after.filter((k) => k.startsWith(`${old}:{${TOPIC}:`));
    expect(oldFigures.sort()).toEqual([`${old}:{${TOPIC}:0}:offset`, `${old}:{${TOPIC}:1}:offset`]);
    for (const key of oldFigures) {
      expect(await t.redis.get(key)).toBe(RETIRED_OFFSET);
      expect(await t.redis.pttl(key)).toBeGreaterThan(0);
    }
    expect(dropped).toBe(before.length - ofNext.length - 2 - 2);
    expect(after.filter((k) => k.startsWith(`${next}:`)).sort()).toEqual(ofNext.sort());
    expect(after).toContain(activePrefixKey(old));
    expect(after).toContain(`${old}:{other.topic:0}:offset`);
  });

  it('followActivePrefix should start on the pointer, follow a change, and keep its prefix on a bad one', async () => {
    const base = t.prefix;
    expect(await readActivePrefix(t.redis, base)).toBe(base);
    const errors: unknown[] = [];
    const changes: string[] = [];
    const follow = await followActivePrefix(t.redis, base, {
      refreshMs: 60_000,
      onChange: (prefix) => changes.push(prefix),
      onError: (err) => errors.push(err),
    });
    try {
      expect(follow.current()).toBe(base);
      const rebuilt = rebuildPrefix(base, 42);
      await t.redis.set(activePrefixKey(base), rebuilt);
      expect(await follow.refresh()).toBe(rebuilt);
      expect(changes).toEqual([rebuilt]);
      await t.redis.set(activePrefixKey(base), 'someone-else');
      expect(await follow.refresh()).toBe(rebuilt);
      expect(errors).toHaveLength(1);
      await expect(readActivePrefix(t.redis, base)).rejects.toThrow(/names no prefix/);
    } finally {
      follow.stop();
    }
  });

  it('a replayed day should keep its seen ids at least a day past the writer, so a later resend is a duplicate', async () => {
    // A day sixty days ago, replayed now: its seen ids' own lifetime (day end + grace + 1 day)
    // has passed.
    const old = T0 - 60 * DAY;
    const store = createFigureStore(t.redis, { prefix: t.prefix, topic: TOPIC });
    const event = item(old, [one('ed_attendances')]);
    await probeAndApply(store, { partition: 0, first: 0, items: [event], clock: old });
    const seenKey = (await t.keys()).find((k) => k.includes(':seen:'))!;
    expect(seenKey).toBeDefined();
    const ttl = await t.redis.pttl(seenKey);
    expect(ttl).toBeGreaterThan(SEEN_REPLAY_FLOOR_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(SEEN_REPLAY_FLOOR_MS);
    const { plan } = await probeAndApply(store, {
      partition: 0,
      first: 1,
      items: [{ ...event }],
      clock: old + DAY,
    });
    expect(plan.summary).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});
