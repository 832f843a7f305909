// End to end: the simulator CLI (--fast, faults, sent log) → real Kafka (a unique topic) → the
// aggregator process (unique group and key prefix, its clock an hour after the simulated day) →
// real Redis → this API (buildApp + the store's reader) → HTTP. Every figure the API gives for
// England, a region, an ICB created by the April 2026 mergers and a trust equals the brute-force
// oracle's over the sent log, and every response validates against the OpenAPI document.
//
// Scale (2-core machine, ~2 minutes): the whole London day of Thursday 2 April 2026 (the second
// day of the merged ICBs), for the four trusts of NHS Essex ICB (D7T5G) and every 6th open trust
// (36 trusts, ~66,000 records, ~15 s), RTT at the simulator's default scale.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bedsReferenceOf,
  BED_FIGURES,
  bucketForId,
  bucketsBetween,
  FIGURE_FAMILIES,
  FIGURE_FAMILY,
  londonDayBounds,
  QUARTER_MS,
  scopeKey,
  type BucketSize,
  type CounterFigures,
  type Scope,
} from '@pulse/kpi';
import { createFigureReader, partitionKey } from '@pulse/store';
import {
  redisPrefix,
  testInfra,
  testKafka,
  testLogger,
  testRedis,
  uniqueGroupId,
  uniqueTopic,
  waitForStoredOffsets,
} from '@pulse/testkit';
import { BruteForce, createOpenApiChecker, readSentLog, toSentRecord } from '@pulse/verify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { expectedToReport } from '@pulse/refdata';
import { buildApp } from '../../src/app.js';
import { figuresFromReader } from '../../src/figures.js';
import { devVerifier, nationalAuth, sharedRefData } from '../helpers.js';
import { runFromSource } from './processes.js';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';

const DATE = '2026-04-02';
const NEXT_DATE = '2026-04-03';
const HOUR = 3_600_000;
const PARTITIONS = ACTIVITY_PARTITIONS;
const ICB = 'D7T5G'; // NHS Essex ICB, from 1 April 2026
const REGION = 'Y61'; // East of England
const TRUST = 'RAJ'; // Mid and South Essex, in D7T5G
const FAULTS =
  'duplicate=0.03,late=0.01,tooLate=0.002,future=0.002,corrupt=0.002,unknownFingerprint=0.002,unknownProvider=0.002,implausible=0.002,identifier=0.002,emittedFuture=0.002';
const SERIES: [string, BucketSize][] = [
  ['ed_attendances', '15m'],
  ['ed_departures_within_4h', '1h'],
  ['ambulance_handovers_over_30m', '1h'],
  ['admissions_emergency', '1d'],
  ['discharges_home', '1d'],
  ['rtt_clock_starts_recorded', '1h'],
];

const iso = (ms: number) => new Date(ms).toISOString();

/** The ICB's trusts and every 12th trust open on DATE. */
function chosenTrusts(): string[] {
  const refdata = sharedRefData();
  const chosen = new Set(
    refdata.trustsInScope({ kind: 'icb', code: ICB }, DATE).map((t) => t.odsCode),
  );
  refdata.trusts(DATE).forEach((t, i) => i % 6 === 0 && chosen.add(t.odsCode));
  return [...chosen].sort();
}

describe('end to end', () => {
  it('the API should give the oracle’s figures for England, a region, a merged ICB and a trust', async () => {
    const refdata = sharedRefData();
    expect(refdata.icb(ICB)?.validFrom).toBe('2026-04-01');
    const day = londonDayBounds(DATE);
    // The aggregator's clock: an hour after the day, so all of it is inside the grace period.
    const clock = day.end + HOUR;
    const { kafkaBrokers, redisUrl } = testInfra();
    const topic = await uniqueTopic({ partitions: PARTITIONS, label: 'e2e-activity' });
    const prefix = redisPrefix('e2e').replace(/:$/, '');
    const redis = await testRedis('e2e');
    const dir = await mkdtemp(join(tmpdir(), 'pulse-e2e-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const log = join(dir, 'sent.jsonl');

    const aggregator = runFromSource('services/aggregator/src/main.ts', [], {
      KAFKA_BROKERS: kafkaBrokers,
      REDIS_URL: redisUrl,
      ACTIVITY_TOPIC: topic,
      DLQ_TOPIC: await uniqueTopic({ partitions: 1, label: 'e2e-dlq' }),
      GROUP_ID: uniqueGroupId('e2e'),
      KEY_PREFIX: prefix,
      CLOCK_OFFSET_MS: String(clock - Date.now()),
      PORT: '0',
      LOG_LEVEL: 'warn',
    });
    const simulator = runFromSource(
      'services/simulator/src/main.ts',
      [
        ...['--brokers', kafkaBrokers, '--topic', topic, '--seed', 'e2e'],
        ...['--from', iso(day.start), '--to', iso(day.end), '--fast'],
        ...['--trusts', chosenTrusts().join(','), '--faults', FAULTS, '--log', log],
      ],
      { LOG_LEVEL: 'warn' },
    );
    expect(await simulator.exited, simulator.output()).toBe(0);
    await waitForStoredOffsets({
      kafka: testKafka('e2e-admin'),
      topic,
      redis,
      offsetKey: (partition) => `${partitionKey(prefix, topic, partition)}:offset`,
      timeoutMs: 180_000,
    });
    expect(aggregator.process.exitCode, aggregator.output()).toBeNull();

    const sent = await readSentLog(log);
    expect(new Set(sent.map((e) => e.fault))).toEqual(
      new Set([null, ...FAULTS.split(',').map((f) => f.split('=')[0])]),
    );
    const resolve = (ods: string, date: string) => {
      const r = refdata.resolveProvider(ods, date);
      return r.status === 'ok' ? { icb: r.icb.code, region: r.region.code } : undefined;
    };
    const isKnownProvider = (ods: string) => refdata.trust(ods) !== undefined;
    const oracle = new BruteForce(sent.map(toSentRecord), { resolve, isKnownProvider, clock });
    // ~66,000 records, of which ~2,500 duplicates and rejects.
    expect(sent.length).toBeGreaterThan(50_000);
    expect(oracle.accepted.length).toBeLessThan(sent.length);

    const asOf = day.end - 1;
    const reader = createFigureReader(redis, { prefix, topic, partitions: PARTITIONS, refdata });
    const app = await buildApp(
      { corsOrigins: [], publicUrl: undefined },
      {
        refdata,
        figures: figuresFromReader(reader),
        readiness: [{ name: 'redis', check: () => redis.ping() }],
        logger: testLogger(),
        now: () => asOf,
        verify: await devVerifier(),
      },
    );
    onTestFinished(() => app.close());
    const authorization = await nationalAuth();
    const checker = createOpenApiChecker((await app.inject('/openapi.json')).json());
    /** GETs a URL with a national token (exact figures); the response must be 200 and conform. */
    const get = async (url: string, auth = authorization) => {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: auth ? { authorization: auth } : {},
      });
      const problems = checker.check({
        method: 'GET',
        url,
        statusCode: res.statusCode,
        contentType: res.headers['content-type'] as string | undefined,
        body: res.body,
      });
      expect(problems, `${url}: ${res.body.slice(0, 300)}`).toEqual([]);
      expect(res.statusCode, url).toBe(200);
      return res.json();
    };

    const scopes: [Scope, string][] = [
      [{ kind: 'england' }, '/v1/england'],
      [{ kind: 'region', code: REGION }, `/v1/regions/${REGION}`],
      [{ kind: 'icb', code: ICB }, `/v1/icbs/${ICB}`],
      [{ kind: 'trust', code: TRUST }, `/v1/trusts/${TRUST}`],
    ];
    const lastHour = bucketsBetween(
      '15m',
      Math.floor(asOf / QUARTER_MS) * QUARTER_MS - HOUR,
      Math.floor(asOf / QUARTER_MS) * QUARTER_MS,
    );
    // The public tier on real data: every sub-national scope from the controlled tree.
    for (const [scope, path] of scopes.slice(1)) {
      const pub = await get(`${path}/snapshot`, '');
      expect(pub.disclosure, `${scopeKey(scope)} public`).toBe('controlled');
    }
    const occupancy = await get(
      `/v1/icbs/${ICB}/series?metric=ga_occupancy_pct&interval=1d&from=${DATE}&to=${NEXT_DATE}`,
      '',
    );
    expect(occupancy.disclosure, 'public occupancy series').toBe('controlled');
    for (const [scope, path] of scopes) {
      const key = scopeKey(scope);
      const s = await get(`${path}/snapshot`);
      expect(s.asOf).toBe(iso(asOf));
      expect(s.londonDate).toBe(DATE);
      // The API serves each deprecated former name beside its figure: the oracle's, with those.
      const withAliases = (counters: CounterFigures) => ({
        ...counters,
        rtt_clock_starts: counters.rtt_clock_starts_recorded,
      });
      expect(s.today.counters, `${key} today`).toEqual(
        withAliases(oracle.counters(key, '1d', DATE)),
      );
      expect(s.today.counters.ed_attendances.total, `${key} has activity`).toBeGreaterThan(0);
      expect(s.lastHour.counters, `${key} last hour`).toEqual(
        withAliases(oracle.counters(key, '15m', lastHour)),
      );
      const live = oracle.gauges(key, asOf, DATE);
      expect(s.live.gauges, `${key} gauges`).toEqual(live.gauges);
      expect(s.live.beds, `${key} beds`).toEqual(live.beds);
      const newest = oracle.freshness(key);
      expect(s.freshness.newestEventAt, `${key} freshness`).toBe(
        newest === undefined ? null : iso(newest),
      );
      const inScope =
        scope.kind === 'trust' ? [TRUST] : refdata.trustsInScope(scope, DATE).map((t) => t.odsCode);
      // The completeness window starts with lastHour's.
      const since = bucketForId('15m', lastHour[0]!).start;
      const reported = inScope.filter(
        (ods) => (oracle.freshness(`t:${ods}`) ?? -Infinity) >= since,
      );
      expect(s.completeness, `${key} completeness`).toMatchObject({
        from: iso(since),
        expected: inScope.length,
        reported: reported.length,
      });
      for (const family of FIGURE_FAMILIES) {
        const expected = inScope.filter((ods) => expectedToReport(refdata.trust(ods)!, family));
        const reporting = expected.filter(
          (ods) => (oracle.familyFreshness(ods, family) ?? -Infinity) >= since,
        );
        expect(s.completeness.families[family], `${key} ${family} completeness`).toEqual({
          expected: expected.length,
          reported: reporting.length,
        });
      }

      for (const [metric, interval] of SERIES) {
        const series = await get(
          `${path}/series?metric=${metric}&interval=${interval}&from=${DATE}&to=${NEXT_DATE}`,
        );
        const ids = bucketsBetween(interval, day.start, day.end);
        const family = FIGURE_FAMILY[metric as 'ed_attendances'];
        // Every bucket is on DATE: the providers in scope that day expected to report the family.
        const expected = inScope.filter((ods) => expectedToReport(refdata.trust(ods)!, family));
        expect(series.points, `${key} ${metric} ${interval}`).toEqual(
          ids.map((id, i) => {
            const reported = oracle.reported(key, interval, id, family);
            const bucket = bucketForId(interval, id);
            return {
              start: iso(bucket.start),
              end: iso(bucket.end),
              value:
                reported === 0
                  ? null
                  : oracle.counters(key, interval, id)[metric as 'ed_attendances'],
              coverage: { reported, expected: expected.length },
              open: i === ids.length - 1, // asOf is the day's last millisecond
            };
          }),
        );
        expect(
          series.points.filter((p: { value: unknown }) => p.value !== null).length,
          `${key} ${metric} ${interval} reported`,
        ).toBeGreaterThan(0);
      }

      // G&A beds (no age split), one number per point: the oracle's sample at each 15-minute
      // end, and at 1d its sample at 08:00 London; occupancy = occupied / open of the summed beds.
      const beds = [...BED_FIGURES, 'ga_occupancy_pct'] as const;
      for (const interval of ['15m', '1d'] as const) {
        const ids = bucketsBetween(interval, day.start, day.end);
        for (const metric of beds) {
          const series = await get(
            `${path}/series?metric=${metric}&interval=${interval}&from=${DATE}&to=${NEXT_DATE}&exact=true`,
          );
          const expected = ids.map((id, i) => {
            const bucket = bucketForId(interval, id);
            const at = interval === '1d' ? bedsReferenceOf(DATE) : bucket.end;
            const { sampled, beds: b } = oracle.gaugeSample(key, at);
            const value =
              metric === 'ga_occupancy_pct'
                ? b.ga_beds_open === 0
                  ? null
                  : (b.ga_beds_occupied / b.ga_beds_open) * 100
                : b[metric];
            return {
              start: iso(bucket.start),
              end: iso(bucket.end),
              value: sampled === 0 ? null : value,
              coverage: { reported: sampled, expected: inScope.length },
              open: i === ids.length - 1,
            };
          });
          expect(series.points, `${key} ${metric} ${interval}`).toEqual(expected);
          expect(
            expected.filter((p) => p.value !== null && p.value !== 0).length,
            `${key} ${metric} ${interval} sampled`,
          ).toBeGreaterThan(0);
        }
      }
    }
  }, 600_000);
});
