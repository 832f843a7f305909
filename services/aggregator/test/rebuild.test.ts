// Rebuild from the log (docs/aggregation.md, "Rebuild"), against the test Kafka and Redis: a
// simulated day with resends is applied by a live aggregator and served by the feeds API; the
// rebuild writes every figure into a fresh prefix while the API goes on answering from the old
// one, switches, and drops the old prefix. Every figure after the switch equals the oracle's (as
// before it), the API answered every request throughout with the same figures, the old prefix
// has no key left but its retired offsets, and the live aggregator goes on in the new prefix.
import { setTimeout as sleep } from 'node:timers/promises';
import { londonDayBounds } from '@pulse/kpi';
import { createRedis } from '@pulse/redis';
import {
  createFigureReader,
  followActivePrefix,
  partitionKey,
  RETIRED_OFFSET,
  type ActivePrefix,
} from '@pulse/store';
import { testLogger } from '@pulse/testkit';
import { activePrefixKey } from '@pulse/topology';
import { BruteForce, type SentRecord } from '@pulse/verify';
import {
  buildApp,
  changeLogFromStore,
  createVerifier,
  DEV_PRIVATE_JWK,
  figuresFromReader,
  followingChangeLog,
  followingFigures,
  loadFeedsApiConfig,
  signToken,
} from 'feeds-api';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AGGREGATOR_REDIS_OPTIONS } from '../src/aggregator.js';
import { loadAggregatorConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';
import { rebuild } from '../src/rebuild.js';
import { compareWithOracle } from './helpers/compare.js';
import {
  createWorld,
  endOffsets,
  isKnownProvider,
  refdata,
  resolver,
  startInProcess,
  waitFor,
  waitUntilCaughtUp,
  type World,
} from './helpers/harness.js';
import { dayEvents, publish } from './helpers/traffic.js';

const DATE = '2026-10-25';
const HOUR = 3_600_000;
/** Trusts of three regions' worth of ICBs, so ICB, region and England sums are exercised. */
const TRUSTS = ['RXN', 'RTX', 'RGT', 'RRK', 'RJ1', 'RYJ', 'RA7', 'R0A', 'RBD'];

function* first<T>(n: number, items: Iterable<T>): Generator<T> {
  if (n <= 0) return;
  for (const item of items) {
    yield item;
    if (--n === 0) return;
  }
}

/** The feeds API in this process, reading the prefix the pointer names, as main.ts builds it. */
async function feedsApi(world: World) {
  const config = loadFeedsApiConfig({
    AUTH_MODE: 'development',
    KEY_PREFIX: world.prefix,
    ACTIVITY_TOPIC: world.topic,
    TOPIC_PARTITIONS: String(world.partitions),
    LOG_LEVEL: 'silent',
  });
  const pointer: ActivePrefix = await followActivePrefix(world.redis, world.prefix, {
    refreshMs: 50,
    onError: (err) => {
      throw err;
    },
  });
  onTestFinished(() => pointer.stop());
  const layout = { topic: world.topic, partitions: world.partitions };
  const app = await buildApp(config, {
    refdata: refdata(),
    figures: followingFigures(pointer, (prefix) =>
      figuresFromReader(createFigureReader(world.redis, { ...layout, prefix, refdata: refdata() })),
    ),
    changeLog: followingChangeLog(pointer, world.prefix, (prefix) =>
      changeLogFromStore(world.redis, { ...layout, prefix }),
    ),
    readiness: [],
    logger: testLogger(),
    verify: await createVerifier({
      keys: { kind: 'development' },
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      production: false,
    }),
  });
  onTestFinished(() => app.close());
  const token = await signToken({ subject: 'rebuild-test', role: 'national' }, DEV_PRIVATE_JWK);
  return {
    pointer,
    /** The status and body; a series' `asOf` (when it was read: the wall clock) left out. */
    async get(url: string) {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      const body = url.includes('/series')
        ? JSON.stringify({ ...(JSON.parse(res.body) as object), asOf: undefined })
        : res.body;
      return { status: res.statusCode, body };
    },
  };
}

/** Every key of a prefix's figures in this world. */
async function keysOf(world: World, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await world.redis.scan(
      cursor,
      'MATCH',
      `${partitionKey(prefix, world.topic, 0).slice(0, -2)}*`,
      'COUNT',
      1000,
    );
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('rebuild from the log', () => {
  it('rebuild should reproduce every figure in a fresh prefix while the API serves the old one, switch it over and drop the old', async () => {
    const clock = londonDayBounds(DATE).end + HOUR;
    const world = await createWorld({
      partitions: 3,
      env: { CLOCK_OFFSET_MS: String(clock - Date.now()) },
    });
    const oracleOf = (sent: readonly SentRecord[]) =>
      new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });

    // The live aggregator applies a simulated day with resends; the API serves it.
    const live = await startInProcess(world);
    const sent = await publish(world.topic, dayEvents({ date: DATE, trusts: TRUSTS }), {
      duplicateRate: 0.05,
    });
    expect(sent.length).toBeGreaterThan(5_000);
    await waitUntilCaughtUp(world);
    const before = await compareWithOracle(world.reader, oracleOf(sent), { dates: [DATE] });
    expect(before.mismatches).toEqual([]);
    const api = await feedsApi(world);
    const asOf = new Date(clock - 2 * HOUR).toISOString();
    const urls = [
      `/v1/england/snapshot?asOf=${asOf}`,
      `/v1/trusts/RXN/snapshot?asOf=${asOf}`,
      `/v1/england/series?metric=ed_attendances&interval=1h&from=${DATE}&to=${asOf}`,
    ];
    const served = await Promise.all(urls.map((url) => api.get(url)));
    for (const res of served) expect(res.status, res.body).toBe(200);
    const cursor = (
      JSON.parse((await api.get('/v1/england/changes')).body) as { nextCursor: string }
    ).nextCursor;

    // The rebuild, while the API is asked again and again.
    const answers: { status: number; same: boolean; prefix: string }[] = [];
    let rebuilding = true;
    const asking = (async () => {
      while (rebuilding) {
        const prefix = api.pointer.current();
        const res = await Promise.all(urls.map((url) => api.get(url)));
        res.forEach((r, i) =>
          answers.push({ status: r.status, same: r.body === served[i]!.body, prefix }),
        );
        await sleep(20);
      }
    })();
    const redis = createRedis(world.env.REDIS_URL!, {
      logger: testLogger(),
      name: 'agg-rebuild',
      options: AGGREGATOR_REDIS_OPTIONS,
    });
    await redis.connect();
    onTestFinished(() => void redis.quit());
    const result = await rebuild(loadAggregatorConfig(world.env), {
      kafka: world.kafka,
      redis,
      logger: testLogger(),
      refdata: refdata(),
      metrics: createMetrics({ defaultMetrics: false }),
      pollMs: 100,
      onSwitched: async (prefix) => {
        // Until the API has read the pointer it serves the old prefix; then the new one, asked
        // before the rebuild goes on to retire and drop the old.
        await waitFor('the API to follow the pointer', async () =>
          answers.some((a) => a.prefix === prefix),
        );
      },
    });
    rebuilding = false;
    await asking;

    expect(result.previous).toBe(world.prefix);
    expect(await world.redis.get(activePrefixKey(world.prefix))).toBe(result.prefix);
    await api.pointer.refresh();
    expect(api.pointer.current()).toBe(result.prefix);
    // Answered throughout, from both prefixes, always with the same figures.
    expect(answers.length).toBeGreaterThan(urls.length);
    expect(answers.filter((a) => a.status !== 200 || !a.same)).toEqual([]);
    expect(new Set(answers.map((a) => a.prefix))).toEqual(new Set([world.prefix, result.prefix]));
    const after = await Promise.all(urls.map((url) => api.get(url)));
    expect(after.map((r) => r.body)).toEqual(served.map((r) => r.body));

    // Every figure of the new prefix equals the oracle's, to the event.
    const rebuilt = createFigureReader(world.redis, {
      prefix: result.prefix,
      topic: world.topic,
      partitions: world.partitions,
      refdata: refdata(),
    });
    const summary = await compareWithOracle(rebuilt, oracleOf(sent), { dates: [DATE] });
    expect(summary.mismatches).toEqual([]);
    expect(summary.values).toBe(before.values);

    // The old prefix is gone but for its retired offsets, which expire.
    const left = await keysOf(world, world.prefix);
    expect(result.dropped).toBeGreaterThan(0);
    expect(left.every((k) => k.endsWith(':offset'))).toBe(true);
    for (const key of left) {
      expect(await world.redis.get(key)).toBe(RETIRED_OFFSET);
      expect(await world.redis.pttl(key)).toBeGreaterThan(0);
    }
    // A cursor from before the switch is expired, not read against the new log.
    expect((await api.get(`/v1/england/changes?since=${cursor}`)).status).toBe(410);

    // The live aggregator followed: more traffic is applied once, in the new prefix only.
    const more = await publish(
      world.topic,
      first(2_000, dayEvents({ date: DATE, trusts: TRUSTS, seed: 'after-the-switch' })),
      { duplicateRate: 0.05, seed: 2 },
    );
    const ends = await endOffsets(world.topic, world.kafka);
    const newOffset = (p: number) =>
      world.redis.get(`${partitionKey(result.prefix, world.topic, p)}:offset`);
    for (;;) {
      const stored = await Promise.all([...ends.keys()].map(newOffset));
      if ([...ends.values()].every((end, i) => BigInt(stored[i] ?? '0') >= end)) break;
      await sleep(100);
    }
    expect(live.aggregator.store.options.prefix).toBe(result.prefix);
    expect((await keysOf(world, world.prefix)).sort()).toEqual(left.sort());
    const all = await compareWithOracle(rebuilt, oracleOf([...sent, ...more]), { dates: [DATE] });
    expect(all.mismatches).toEqual([]);
  });
});
