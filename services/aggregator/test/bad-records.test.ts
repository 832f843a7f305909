// Every kind of bad record reaches the DLQ with its code, the original key and bytes and the
// source position; the good records around it are counted, and per-provider data quality adds up.
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import type { RejectionCode } from '@pulse/kpi';
import { BruteForce, type RecordFault, type SentRecord } from '@pulse/verify';
import { testProducer } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { DLQ_CODES } from '../src/classify.js';
import { DLQ_HEADERS } from '@pulse/topology';
import { compareWithOracle } from './helpers/compare.js';
import { admission, edArrival } from './helpers/events.js';
import { createWorld, resolver, startInProcess, waitUntilCaughtUp } from './helpers/harness.js';
import { readTopic } from './helpers/topics.js';
import { DAY_MS as DAY } from '@pulse/kpi';

const codec = createCodec();
const unchecked = createCodec({ validate: false });
const MINUTE = 60_000;

interface Case {
  key: string;
  value: Buffer;
  /** The code it must be dead-lettered with; absent for a good record. */
  code?: RejectionCode;
  sent: SentRecord;
}

function good(event: ActivityEvent): Case {
  return { key: event.providerOds, value: codec.encode(event), sent: { event } };
}

/** One bad record of each code, keyed RGT (so they share a partition with good RGT records). */
function badRecords(now: number): Case[] {
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
  const identified = edArrival('RGT', now, { subjectRef: '943 476 5919' });
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
    derived('KEY_MISMATCH', edArrival('RRK', now)),
    derived('TOO_LATE', edArrival('RGT', now - 15 * DAY)),
    derived('FUTURE_DATED', edArrival('RGT', now + 60 * MINUTE)),
  ];
}

describe('aggregator with bad records', () => {
  it('aggregator should dead-letter each kind of bad record with its code and headers and count the good ones around it', async () => {
    const world = await createWorld({ partitions: 2 });
    const now = Date.now() - 30 * MINUTE;
    const cases: Case[] = [];
    let n = 0;
    for (const bad of badRecords(now)) {
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
      messages: cases.map((c) => ({ key: c.key, value: c.value })),
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
    // The detail never carries the patient identifier that was refused.
    const identified = letters.find(
      (l) => l.headers[DLQ_HEADERS.code] === 'IDENTIFIER_IN_SUBJECT_REF',
    );
    expect(identified!.headers[DLQ_HEADERS.detail]).not.toContain('943');

    const oracle = new BruteForce(
      cases.map((c) => c.sent),
      { resolve: resolver(), clock: now + 30 * MINUTE },
    );
    const summary = await compareWithOracle(world.reader, oracle, {
      dates: [],
      asOf: now + 30 * MINUTE,
      onlyScopes: ['t:RGT', 't:RRK'],
      providers: ['RGT', 'RRK', 'ZZZ'],
    });
    expect(summary.mismatches).toEqual([]);
    // At least every figure and group of three scopes in one bucket of each size.
    expect(summary.values).toBeGreaterThanOrEqual(3 * 3 * 22 * 4);
    const rgt = await world.reader.dataQuality('RGT');
    expect(rgt.accepted).toBe(18);
    expect(rgt.duplicates).toBe(1);
    expect(Object.values(rgt.rejected).reduce((a, b) => a + (b ?? 0), 0)).toBe(bad.length - 1);
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
