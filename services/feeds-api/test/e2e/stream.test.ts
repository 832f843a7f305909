// The push feed end to end: the simulator CLI → real Kafka → the aggregator process → real Redis
// → TWO feeds-api processes (main.ts, as deployed) → a standard SSE client (the `eventsource` npm
// package). Four clients (England, a region, an ICB, a trust) connect to API A; half-way through
// the day's publishing A is killed (SIGKILL) and each client's own reconnect, with its last event
// id, lands on API B. Every change-log entry of each scope after the client's first snapshot
// must be listed exactly once across both connections (no gap, no duplicate), and the figures of
// the last event each client holds must equal the brute-force oracle's over the sent log.
//
// The simulated period is today's London day from midnight to a few minutes ago, so the API's
// "today" is the day simulated; ~40 trusts, resends (3%) the only fault.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { londonDateOf, londonDayBounds, type CounterFigures } from '@pulse/kpi';
import { partitionKey } from '@pulse/store';
import {
  freePort,
  redisPrefix,
  testInfra,
  testKafka,
  testRedis,
  uniqueGroupId,
  uniqueTopic,
  waitForStoredOffsets,
} from '@pulse/testkit';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';
import { BruteForce, readSentLog, toSentRecord } from '@pulse/verify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { changeLogFromStore } from '../../src/stream/store-change-log.js';
import { sharedRefData } from '../helpers.js';
import { openStream, type ClientEvent, type StreamClient } from '../stream/sse-client.js';
import { runFromSource, waitFor, type Child } from './processes.js';

const PARTITIONS = ACTIVITY_PARTITIONS;
const ICB = 'D7T5G';
const REGION = 'Y61';
const TRUST = 'RAJ';
const SCOPES: [string, string][] = [
  ['e', '/v1/england'],
  [`r:${REGION}`, `/v1/regions/${REGION}`],
  [`i:${ICB}`, `/v1/icbs/${ICB}`],
  [`t:${TRUST}`, `/v1/trusts/${TRUST}`],
];
const iso = (ms: number) => new Date(ms).toISOString();

const listed = (events: readonly ClientEvent[]) =>
  events.filter((e) => e.event === 'update').flatMap((e) => e.data.changes as string[]);

describe('push feed end to end', () => {
  it('stream clients should resume on the other API with no gap or duplicate and hold the oracle’s figures', async () => {
    const refdata = sharedRefData();
    const now = Date.now();
    const date = londonDateOf(now);
    const { start } = londonDayBounds(date);
    const end = now - 2 * 60_000;
    const middle = start + Math.floor((end - start) / 2);
    const trusts = new Set(
      refdata.trustsInScope({ kind: 'icb', code: ICB }, date).map((t) => t.odsCode),
    );
    refdata.trusts(date).forEach((t, i) => i % 6 === 0 && trusts.add(t.odsCode));
    const { kafkaBrokers, redisUrl } = testInfra();
    const topic = await uniqueTopic({ partitions: PARTITIONS, label: 'e2e-stream' });
    const prefix = redisPrefix('e2e-stream').replace(/:$/, '');
    const redis = await testRedis('e2e-stream');
    const dir = await mkdtemp(join(tmpdir(), 'pulse-e2e-stream-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));

    const aggregator = runFromSource('services/aggregator/src/main.ts', [], {
      KAFKA_BROKERS: kafkaBrokers,
      REDIS_URL: redisUrl,
      ACTIVITY_TOPIC: topic,
      DLQ_TOPIC: await uniqueTopic({ partitions: 1, label: 'e2e-stream-dlq' }),
      GROUP_ID: uniqueGroupId('e2e-stream'),
      KEY_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'warn',
    });
    const api = async (): Promise<{ child: Child; base: string }> => {
      const port = await freePort();
      const child = runFromSource('services/feeds-api/src/main.ts', [], {
        REDIS_URL: redisUrl,
        KEY_PREFIX: prefix,
        ACTIVITY_TOPIC: topic,
        TOPIC_PARTITIONS: String(PARTITIONS),
        PORT: String(port),
        STREAM_COALESCE_MS: '250',
        STREAM_RETRY_MS: '500',
        LOG_LEVEL: 'warn',
      });
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        'feeds-api ready',
        () =>
          fetch(`${base}/readyz`).then(
            (r) => (r.ok ? true : undefined),
            () => undefined,
          ),
        180_000,
      );
      return { child, base };
    };
    const [a, b] = await Promise.all([api(), api()]);

    const clients = new Map<string, StreamClient>();
    for (const [key, path] of SCOPES) {
      const client = openStream(a.base, `${path}/stream`);
      onTestFinished(() => client.close());
      clients.set(key, client);
    }
    await waitFor(
      'first snapshots',
      async () =>
        [...clients.values()].every((c) => c.named('snapshot').length === 1) ? true : undefined,
      30_000,
    );

    // Each half its own seed (no event id of one is an event of the other); no RTT waiting list
    // (the seeded list is sent by every run).
    const publish = (from: number, to: number, log: string) =>
      runFromSource(
        'services/simulator/src/main.ts',
        [
          ...['--brokers', kafkaBrokers, '--topic', topic, '--seed', `e2e-stream-${from}`],
          ...['--from', iso(from), '--to', iso(to), '--fast', '--rtt-scale', '0'],
          ...['--trusts', [...trusts].join(','), '--faults', 'duplicate=0.03', '--log', log],
        ],
        { LOG_LEVEL: 'warn' },
      );
    const offsetsApplied = () =>
      waitForStoredOffsets({
        kafka: testKafka('e2e-stream-admin'),
        topic,
        redis,
        offsetKey: (partition) => `${partitionKey(prefix, topic, partition)}:offset`,
        timeoutMs: 180_000,
      });
    const first = publish(start, middle, join(dir, 'first.jsonl'));
    expect(await first.exited, first.output()).toBe(0);
    await offsetsApplied();
    await waitFor(
      'updates from A',
      async () =>
        [...clients.values()].every((c) => c.named('update').length > 0) ? true : undefined,
      60_000,
    );

    // Mid-stream: the second half starts publishing and A dies; the clients' reconnects go to B.
    const second = publish(middle, end, join(dir, 'second.jsonl'));
    for (const client of clients.values()) client.target.base = b.base;
    a.child.process.kill('SIGKILL');
    expect(await second.exited, second.output()).toBe(0);
    await offsetsApplied();
    expect(aggregator.process.exitCode, aggregator.output()).toBeNull();

    // Every entry of each scope's change log after the client's first snapshot, read directly.
    const reader = changeLogFromStore(redis, { prefix, topic, partitions: PARTITIONS });
    const logged = async (key: string, after: string): Promise<string[]> => {
      const ids: string[] = [];
      let cursor = after;
      for (;;) {
        const page = await reader.readChanges(cursor, { limit: 1_000 });
        for (const c of page.changes)
          if (c.scopes.includes(key)) ids.push(`${c.partition}:${c.id}`);
        cursor = page.nextCursor;
        if (page.changes.length < 1_000) return ids;
      }
    };
    const sent = [
      ...(await readSentLog(join(dir, 'first.jsonl'))),
      ...(await readSentLog(join(dir, 'second.jsonl'))),
    ];
    const resolve = (ods: string, on: string) => {
      const r = refdata.resolveProvider(ods, on);
      return r.status === 'ok' ? { icb: r.icb.code, region: r.region.code } : undefined;
    };
    const oracle = new BruteForce(sent.map(toSentRecord), {
      resolve,
      isKnownProvider: (ods) => refdata.trust(ods) !== undefined,
      clock: Date.now(),
    });
    expect(oracle.accepted.length).toBeGreaterThan(1_000);

    for (const [key, client] of clients) {
      const from = client.named('snapshot')[0]!.lastEventId;
      const expected = await logged(key, from);
      await waitFor(
        `${key}: every change listed`,
        async () => (listed(client.events).length >= expected.length ? true : undefined),
        60_000,
      );
      const seen = listed(client.events);
      expect(new Set(seen).size, `${key}: no change listed twice`).toBe(seen.length);
      expect([...seen].sort(), `${key}: no change missed`).toEqual([...expected].sort());
      expect(client.named('snapshot'), `${key}: resumed, not restarted`).toHaveLength(1);
      expect(client.named('reset')).toHaveLength(0);
      expect(
        client.requests.map((r) => [r.url.startsWith(b.base), r.lastEventId !== null]),
      ).toEqual([
        [false, false],
        [true, true],
      ]);
      const last = client.events.filter((e) => e.event === 'update').at(-1)!.data as {
        asOf: string;
        today: { counters: CounterFigures };
        live: { gauges: unknown; beds: unknown };
      };
      const withAliases = (counters: CounterFigures) => ({
        ...counters,
        rtt_clock_starts: counters.rtt_clock_starts_recorded,
      });
      expect(last.today.counters, `${key} today`).toEqual(
        withAliases(oracle.counters(key, '1d', date)),
      );
      const live = oracle.gauges(key, Date.parse(last.asOf), date);
      expect(last.live.gauges, `${key} gauges`).toEqual(live.gauges);
      expect(last.live.beds, `${key} beds`).toEqual(live.beds);
    }
  }, 600_000);
});
