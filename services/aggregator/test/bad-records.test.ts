// Every kind of bad record reaches the DLQ with its code, the original key and bytes and the
// source position; the good records around it are counted, and per-provider data quality adds up.
import { randomUUID } from 'node:crypto';
import { createCodec, EXAMPLE_EVENTS } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import { DAY_MS as DAY, UNUSABLE_KEY, type RejectionCode } from '@pulse/kpi';
import { BruteForce, type RecordFault, type SentRecord } from '@pulse/verify';
import type { Redis } from '@pulse/redis';
import { keyPartitioner } from '@pulse/kafka';
import { testProducer } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_CODES } from '../src/classify.js';
import { DLQ_HEADERS } from '@pulse/topology';
import { compareTrusts, compareWithOracle } from './helpers/compare.js';
import { admission, edArrival } from './helpers/events.js';
import {
  createWorld,
  resolver,
  isKnownProvider,
  refdata,
  startInProcess,
  waitUntilCaughtUp,
} from './helpers/harness.js';
import { readTopic } from './helpers/topics.js';

const codec = createCodec();

/** Every key under a world's prefix (SCAN, never KEYS). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    found.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return found;
}
const unchecked = createCodec({ validate: false });
const MINUTE = 60_000;

interface Case {
  key: string;
  value: Buffer;
  /** Sent to this partition rather than its key's. */
  partition?: number;
  /** The code it must be dead-lettered with; absent for a good record. */
  code?: RejectionCode;
  sent: SentRecord;
}

function good(event: ActivityEvent): Case {
  return { key: event.providerOds, value: codec.encode(event), sent: { event } };
}

/** One bad record of each code, keyed RGT (so they share a partition with good RGT records). */
function badRecords(now: number, partitions: number): Case[] {
  // The oracle takes contract faults from the log; the others it derives from the event.
  const fault = (code: RecordFault, value: Buffer): Case => ({
    key: 'RGT',
    value,
    code,
    sent: { key: 'RGT', fault: code },
  });
  const derived = (code: RejectionCode, event: ActivityEvent): Case => ({
    key: 'RGT',
    value: codec.encode(event),
    code,
    sent: { event, key: 'RGT' },
  });
  const valid = codec.encode(edArrival('RGT', now));
  const unknownFingerprint = Buffer.from(valid);
  unknownFingerprint.writeUInt32LE(0x0badf00d, 2);
  const identified = edArrival('RGT', now, { subjectRef: 'NHS9434765919' });
  const at = { providerOds: 'RGT', occurredAt: now, emittedAt: now };
  const { ED_DEPARTURE, AMBULANCE_HANDOVER, DISCHARGE, RTT_CLOCK_START, BED_STATE } =
    EXAMPLE_EVENTS;
  const implausible = (code: RecordFault, event: ActivityEvent, siteOds = 'RGT') =>
    fault(
      code,
      unchecked.encode({ ...event, ...at, siteOds, eventId: randomUUID() } as ActivityEvent),
    );
  return [
    fault('BAD_MARKER', Buffer.from('{"eventType":"ED_ARRIVAL"}')),
    fault('UNKNOWN_FINGERPRINT', unknownFingerprint),
    fault('CORRUPT_BODY', valid.subarray(0, valid.length - 4)),
    fault('INVALID_FIELD', unchecked.encode(edArrival('RGT', now, { eventId: 'nope' }))),
    fault(
      'INVALID_TIME_ORDER',
      unchecked.encode(edArrival('RGT', now, { emittedAt: now - 60 * MINUTE })),
    ),
    fault('IDENTIFIER_IN_SUBJECT_REF', unchecked.encode(identified)),
    // The implausible records, each of which used to be counted.
    implausible('ED_STAY_TOO_LONG', {
      ...ED_DEPARTURE,
      payload: { ...ED_DEPARTURE.payload, arrivedAt: 0, decisionToAdmitAt: null },
    }),
    implausible('HANDOVER_TOO_LONG', { ...AMBULANCE_HANDOVER, payload: { arrivedAt: 0 } }),
    implausible('SPELL_TOO_LONG', {
      ...DISCHARGE,
      payload: { ...DISCHARGE.payload, admittedAt: 0 },
    }),
    implausible('RTT_WAIT_TOO_LONG', {
      ...RTT_CLOCK_START,
      payload: { ...RTT_CLOCK_START.payload, clockStartAt: 0 },
    }),
    implausible('TOO_MANY_BEDS', {
      ...BED_STATE,
      payload: { ...BED_STATE.payload, bedsOpen: 1e9 },
    }),
    implausible('SITE_NOT_OF_PROVIDER', BED_STATE, 'RJ101'),
    derived('KEY_MISMATCH', edArrival('RRK', now)),
    derived('TOO_LATE', edArrival('RGT', now - 15 * DAY)),
    derived('FUTURE_DATED', edArrival('RGT', now + 60 * MINUTE)),
    derived('EMITTED_IN_FUTURE', edArrival('RGT', now, { emittedAt: Date.UTC(2100, 0, 1) })),
    { ...fault('WRONG_PARTITION', valid), partition: otherPartition('RGT', partitions) },
  ];
}

/** A partition of the topic other than the one the key belongs on. */
function otherPartition(key: string, partitions: number): number {
  return (keyPartitioner(partitions)(key) + 1) % partitions;
}

describe('aggregator with bad records', () => {
  it('aggregator should dead-letter each kind of bad record with its code and headers and count the good ones around it', async () => {
    const world = await createWorld({ partitions: 2 });
    const now = Date.now() - 30 * MINUTE;
    const cases: Case[] = [];
    let n = 0;
    for (const bad of badRecords(now, world.partitions)) {
      // Good records before and after each bad one, on the same partition and on others.
      cases.push(good(edArrival('RGT', now - ++n * MINUTE)));
      cases.push(bad);
      cases.push(good(admission('RRK', now - n * MINUTE)));
      cases.push(good(edArrival('RGT', now - n * MINUTE, { ageBand: 'AGE_85_PLUS' })));
    }
    const unknown = edArrival('ZZZ', now);
    cases.push({
      key: 'ZZZ',
      value: codec.encode(unknown),
      code: 'UNKNOWN_ORGANISATION',
      sent: { event: unknown },
    });
    // A resend of a good record is a duplicate: counted as such, not applied.
    const resent = cases[0]!;
    cases.push({ ...resent, sent: { ...resent.sent } });

    const producer = await testProducer();
    await producer.send({
      topic: world.topic,
      messages: cases.map((c) => ({ key: c.key, value: c.value, partition: c.partition })),
    });
    await startInProcess(world);
    await waitUntilCaughtUp(world);

    const bad = cases.filter((c) => c.code !== undefined);
    // Every code of the contract and the aggregator is exercised here.
    expect(new Set(bad.map((c) => c.code))).toEqual(new Set(DLQ_CODES));
    const letters = await readTopic(world.dlqTopic, bad.length);
    const sources = await readTopic(world.topic, cases.length);
    expect(letters).toHaveLength(bad.length);
    for (const c of bad) {
      const letter = letters.find((l) => l.value?.equals(c.value));
      expect(letter, `${c.code} in the DLQ`).toBeDefined();
      expect(letter!.key?.toString()).toBe(c.key);
      expect(letter!.headers[DLQ_HEADERS.code]).toBe(c.code);
      expect(letter!.headers[DLQ_HEADERS.detail]?.length).toBeGreaterThan(0);
      expect(letter!.headers[DLQ_HEADERS.topic]).toBe(world.topic);
      const source = sources.find(
        (s) =>
          String(s.partition) === letter!.headers[DLQ_HEADERS.partition] &&
          s.offset === letter!.headers[DLQ_HEADERS.offset],
      );
      expect(source?.value?.equals(c.value), `${c.code} source position`).toBe(true);
    }
    // No detail carries a value that was refused (the identifier) or a key.
    for (const letter of letters) {
      const detail = letter.headers[DLQ_HEADERS.detail]!;
      expect(detail, letter.headers[DLQ_HEADERS.code]).not.toMatch(/943|RRK/);
    }

    const oracle = new BruteForce(
      cases.map((c) => c.sent),
      { resolve: resolver(), isKnownProvider, clock: now + 30 * MINUTE },
    );
    const summary = await compareWithOracle(world.reader, oracle, {
      dates: [],
      asOf: now + 30 * MINUTE,
      onlyScopes: ['t:RGT', 't:RRK'],
      providers: ['RGT', 'RRK', UNUSABLE_KEY],
    });
    expect(summary.mismatches).toEqual([]);
    // At least every figure and group of three scopes in one bucket of each size.
    expect(summary.values).toBeGreaterThanOrEqual(3 * 3 * 22 * 4);
    const rgt = await world.reader.dataQuality('RGT');
    const goodRgt = cases.filter((c) => c.code === undefined && c.key === 'RGT');
    expect(rgt.accepted).toBe(new Set(goodRgt.map((c) => c.sent.event!.eventId)).size);
    expect(rgt.duplicates).toBe(1);
    expect(Object.values(rgt.rejected).reduce((a, b) => a + (b ?? 0), 0)).toBe(bad.length - 1);
  });

  it('aggregator should make no Redis key or member of a rejected value, and count junk keys in one bucket', async () => {
    // Regression: 100,000 records with new keys made 100,000 dq hashes that never expire, and
    // each rejected record's key became a Redis key (dq:9434765919).
    const world = await createWorld({ partitions: 2 });
    const now = Date.now() - 30 * MINUTE;
    const JUNK = 1_500;
    const nhsLike = (i: number) => `9434${String(i).padStart(6, '0')}`;
    const messages: { key: string; value: Buffer }[] = [];
    const junkKeys: string[] = [];
    for (let i = 0; i < JUNK; i++) {
      const kind = i % 3;
      // An NHS number, a name, or a well-formed ODS code no provider has, as the key.
      const key =
        kind === 0
          ? nhsLike(i)
          : kind === 1
            ? `John Smith ${nhsLike(i)}`
            : `Z${i.toString(36).toUpperCase().padStart(4, '0')}`;
      junkKeys.push(key);
      const value =
        kind === 2 && refdata().trust(key) === undefined
          ? codec.encode(edArrival(key, now)) // UNKNOWN_ORGANISATION
          : Buffer.from(JSON.stringify({ nhsNumber: nhsLike(i), name: 'John Smith' }));
      messages.push({ key, value });
    }
    // Identifiers in a good trust's ids and pseudonym: refused, never stored as members.
    const leaky = edArrival('RGT', now, { subjectRef: `NHS${nhsLike(1)}` });
    const freeText = edArrival('RGT', now);
    freeText.payload.attendanceId = `John Smith ${nhsLike(2)}`;
    messages.push({ key: 'RGT', value: unchecked.encode(leaky) });
    messages.push({ key: 'RGT', value: unchecked.encode(freeText) });
    const after = edArrival('RGT', now);
    messages.push({ key: 'RGT', value: codec.encode(after) });

    const producer = await testProducer();
    for (let i = 0; i < messages.length; i += 500) {
      await producer.send({ topic: world.topic, messages: messages.slice(i, i + 500) });
    }
    await startInProcess(world);
    await waitUntilCaughtUp(world);

    const keys = await keysUnder(world.redis, world.prefix);
    const dqKeys = keys.filter((k) => k.includes(':dq:')).map((k) => k.split(':dq:')[1]);
    // One bucket for every junk key, whatever their number; RGT's own.
    expect(new Set(dqKeys)).toEqual(new Set([UNUSABLE_KEY, 'RGT']));
    const bucket = await world.reader.dataQuality(UNUSABLE_KEY);
    const rejected = Object.values(bucket.rejected).reduce((a, b) => a + (b ?? 0), 0);
    expect(rejected).toBe(JUNK);
    const rgt = await world.reader.dataQuality('RGT');
    expect(rgt).toMatchObject({
      accepted: 1,
      rejected: { IDENTIFIER_IN_SUBJECT_REF: 1, INVALID_FIELD: 1 },
    });

    // Nothing stored names or holds a refused value: keys, set and sorted-set members, fields.
    const stored = [...keys];
    for (const key of keys) {
      const type = await world.redis.type(key);
      if (type === 'set') stored.push(...(await world.redis.smembers(key)));
      if (type === 'zset') stored.push(...(await world.redis.zrange(key, '0', '-1')));
      if (type === 'hash') stored.push(...(await world.redis.hkeys(key)));
    }
    const leaks = stored.filter((text) => /9434|John|Smith|:Z[0-9A-Z]{4}\b/.test(text));
    expect(leaks).toEqual([]);
    expect(stored).toContain(after.payload.attendanceId);
  });

  it("aggregator should refuse a resend on another partition than its key's as WRONG_PARTITION rather than count it twice", async () => {
    // Regression: the same bytes sent with librdkafka's default partitioner (CRC32) instead of
    // Java's murmur2 landed on another partition, whose seen ids did not know them: counted twice.
    const world = await createWorld({ partitions: 3 });
    const now = Date.now() - 30 * MINUTE;
    const event = edArrival('RGT', now);
    const after = admission('RRK', now);
    const wrong = otherPartition('RGT', world.partitions);
    const message = (e: ActivityEvent) => ({ key: e.providerOds, value: codec.encode(e) });
    const producer = await testProducer();
    await producer.send({ topic: world.topic, messages: [message(event)] });
    await producer.send({
      topic: world.topic,
      messages: [{ ...message(event), partition: wrong }, message(after)],
    });
    await startInProcess(world);
    await waitUntilCaughtUp(world);

    const [letter] = await readTopic(world.dlqTopic, 1);
    expect(letter!.headers[DLQ_HEADERS.code]).toBe('WRONG_PARTITION');
    expect(letter!.headers[DLQ_HEADERS.partition]).toBe(String(wrong));
    expect(letter!.value?.equals(codec.encode(event))).toBe(true);
    const sent: SentRecord[] = [
      { event },
      { key: 'RGT', fault: 'WRONG_PARTITION' },
      { event: after },
    ];
    const asOf = now + 30 * MINUTE;
    const summary = await compareTrusts(world.reader, sent, { asOf, trusts: ['RGT', 'RRK'] });
    expect(summary.mismatches).toEqual([]);
    const rgt = await world.reader.dataQuality('RGT');
    expect(rgt).toMatchObject({ accepted: 1, duplicates: 0, rejected: { WRONG_PARTITION: 1 } });
  });

  it('aggregator should dead-letter a burst of large bad records bigger than one produce request and go on counting', async () => {
    // Regression: all of a chunk's dead letters went in one send; past the broker's
    // message.max.bytes (1 MiB) Kafka answers MESSAGE_TOO_LARGE, not retriable, and the
    // partition was retried for ever. 3,000 letters of ~1 KiB are ~3 MiB.
    const world = await createWorld({ partitions: 1 });
    const now = Date.now() - 30 * MINUTE;
    const burst = Array.from({ length: 3_000 }, (_, i) => {
      const value = Buffer.alloc(1_000, 0x7b);
      value.writeUInt32BE(i, 10);
      return { key: 'RGT', value };
    });
    const after = edArrival('RGT', now);
    const producer = await testProducer();
    for (let i = 0; i < burst.length; i += 500) {
      await producer.send({ topic: world.topic, messages: burst.slice(i, i + 500) });
    }
    await producer.send({
      topic: world.topic,
      messages: [{ key: 'RGT', value: codec.encode(after) }],
    });
    await startInProcess(world);
    await waitUntilCaughtUp(world);

    const letters = await readTopic(world.dlqTopic, burst.length);
    expect(letters).toHaveLength(burst.length);
    expect(new Set(letters.map((l) => l.headers[DLQ_HEADERS.code]))).toEqual(
      new Set(['BAD_MARKER']),
    );
    const rgt = await world.reader.dataQuality('RGT');
    expect(rgt.rejected['BAD_MARKER']).toBe(burst.length);
    expect(rgt.accepted).toBe(1);
  });
});
