// Records the broker accepts whatever their size and compression: a value too large to
// dead-letter whole goes to the DLQ as a reference to its source position with its digest, and
// batches compressed with lz4, zstd or snappy by Kafka's Java producer are read and counted. In
// each case the good records after it count.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import type { SentRecord } from '@pulse/verify';
import { testInfra, testProducer } from '@pulse/testkit';
import { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '@pulse/topology';
import { compareTrusts } from './helpers/compare.js';
import { admission, edArrival } from './helpers/events.js';
import { createWorld, startInProcess, waitUntilCaughtUp } from './helpers/harness.js';
import {
  javaProduce,
  kafkaJavaMissing,
  type JavaBatch,
  type JavaCompression,
} from './helpers/java-producer.js';
import { readTopic } from './helpers/topics.js';

const codec = createCodec();
const MINUTE = 60_000;
const noJava = kafkaJavaMissing();
// Kafka's Java client needs Java and Maven; only outside CI may their absence skip it.
const skipJava = noJava !== undefined && !process.env.CI;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const record = (event: ActivityEvent) => ({
  key: Buffer.from(event.providerOds),
  value: codec.encode(event),
});

describe('aggregator with large and compressed records', () => {
  it('aggregator should dead-letter a 1 MB value and a 10 MB gzip-compressed one by reference and count the good records after them', async () => {
    // Regression: their dead letters (value and headers, uncompressed) were over the broker's
    // message.max.bytes; the send failed with MESSAGE_TOO_LARGE (not retriable) and the
    // consumer stopped on the partition for good, crash-looping on every restart.
    const world = await createWorld({ partitions: 1 });
    const now = Date.now() - 30 * MINUTE;
    const oneMb = Buffer.alloc(1_000_000, 0x7b);
    // 10 MiB that gzip takes to about 10 KB: the broker sees the compressed batch only.
    const tenMb = Buffer.alloc(10 * 1024 * 1024, 0x7b);
    expect(gzipSync(tenMb).length).toBeLessThan(64 * 1024);
    const goods = [edArrival('RGT', now - 3 * MINUTE), admission('RGT', now - 2 * MINUTE)];
    const last = edArrival('RGT', now - MINUTE);

    const producer = await testProducer();
    await producer.send({ topic: world.topic, messages: [record(goods[0]!)] });
    await producer.send({ topic: world.topic, messages: [{ key: 'RGT', value: oneMb }] });
    await producer.send({ topic: world.topic, messages: [record(goods[1]!)] });
    await producer.send({
      topic: world.topic,
      compression: CompressionTypes.GZIP,
      messages: [{ key: 'RGT', value: tenMb }],
    });
    await producer.send({ topic: world.topic, messages: [record(last)] });
    await startInProcess(world);
    await waitUntilCaughtUp(world);

    const letters = await readTopic(world.dlqTopic, 2);
    expect(letters).toHaveLength(2);
    const sources = await readTopic(world.topic, 5);
    for (const big of [oneMb, tenMb]) {
      const source = sources.find((s) => s.value?.length === big.length);
      const letter = letters.find((l) => l.headers[DLQ_HEADERS.offset] === source?.offset);
      expect(letter, `${big.length} bytes in the DLQ`).toBeDefined();
      expect(letter!.value).toBeNull();
      expect(letter!.key?.toString()).toBe('RGT');
      expect(letter!.headers).toMatchObject({
        [DLQ_HEADERS.code]: 'BAD_MARKER',
        [DLQ_HEADERS.topic]: world.topic,
        [DLQ_HEADERS.partition]: '0',
        [DLQ_HEADERS.valueBytes]: String(big.length),
        [DLQ_HEADERS.valueSha256]: sha256(big),
      });
    }

    const sent: SentRecord[] = [
      { event: goods[0]! },
      { key: 'RGT', fault: 'BAD_MARKER' },
      { event: goods[1]! },
      { key: 'RGT', fault: 'BAD_MARKER' },
      { event: last },
    ];
    const asOf = now + 30 * MINUTE;
    const summary = await compareTrusts(world.reader, sent, { asOf, trusts: ['RGT'] });
    expect(summary.mismatches).toEqual([]);
    const rgt = await world.reader.dataQuality('RGT');
    expect(rgt.accepted).toBe(3);
    expect(rgt.rejected['BAD_MARKER']).toBe(2);
  });

  it.skipIf(skipJava)(
    `aggregator should read lz4, zstd and snappy batches from Kafka's Java producer and count every record${skipJava ? ` (skipped: ${noJava})` : ''}`,
    async () => {
      // Regression: kafkajs reads only gzip; such a batch failed the fetch with
      // KafkaJSNotImplemented and stopped the consumer for good.
      const world = await createWorld({ partitions: 3 });
      const now = Date.now() - 30 * MINUTE;
      const trusts = ['RGT', 'RRK', 'RAJ', 'RXN', 'R0A'];
      const compressions: JavaCompression[] = ['lz4', 'zstd', 'snappy', 'gzip'];
      const sent: SentRecord[] = [];
      const batches: JavaBatch[] = [];
      for (const [c, compression] of compressions.entries()) {
        // Enough records per partition that each batch compresses many of them.
        const events = Array.from({ length: 200 }, (_, i) => {
          const ods = trusts[i % trusts.length]!;
          const at = now - (c * 200 + i) * 1_000;
          return i % 2 === 0 ? edArrival(ods, at) : admission(ods, at);
        });
        batches.push({ compression, records: events.map(record) });
        sent.push(...events.map((event) => ({ event })));
      }
      await javaProduce(testInfra().kafkaBrokers, world.topic, batches);
      // The good record after them, from our own producer.
      const after = edArrival('RGT', now);
      const producer = await testProducer();
      await producer.send({ topic: world.topic, messages: [record(after)] });
      sent.push({ event: after });
      await startInProcess(world);
      await waitUntilCaughtUp(world);

      const asOf = now + 30 * MINUTE;
      const summary = await compareTrusts(world.reader, sent, { asOf, trusts });
      expect(summary.mismatches).toEqual([]);
      let accepted = 0;
      for (const ods of trusts) accepted += (await world.reader.dataQuality(ods)).accepted;
      expect(accepted).toBe(sent.length);
    },
  );
});
