// The "Done when" check: a --fast run of a whole simulated day for every open trust lands on a
// real topic and reads back equal to the sent log. ~440k records: ~30-65 s on a shared 2-core
// machine. It runs in every `npm test`, so the claim stays checked. A sample of the records on
// the topic is then decoded by Apache Avro (Java) with only the .avsc files (issue 3: another
// Avro implementation reads the bytes on the topic) and must equal our decode: 30 records of
// each event type and 30 undecodable ones, spread over the day; a few seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_TYPES, createCodec, type ActivityEvent } from '@pulse/contracts';
import { javaAvroMissing, javaDecode } from '@pulse/contracts/java-avro';
import { testConsumer, testKafka, testLogger, uniqueGroupId, uniqueTopic } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.js';
import { formatSummary } from '../../src/publish/summary.js';
import { sentLogEntries } from '@pulse/verify';
import { runSimulator } from '../../src/run.js';
import { testRefData } from '../helpers.js';
import { expectTopicEqualsLog } from '../readback.js';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';

/** Records of each event type (and undecodable ones) the Java decoder is given. */
const SAMPLE_PER_TYPE = 30;

/**
 * Where the sample lies on the topic: for each event type in the summary (and `undecodable`),
 * SAMPLE_PER_TYPE records spread evenly over the day, as partition → ascending offsets. A
 * record's offset is its place among the log's records of its partition, which the readback has
 * just shown the topic holds in that order from offset 0.
 */
async function sampleOffsets(log: string, byType: Record<string, number>) {
  const stride = (type: string) => Math.max(1, Math.floor((byType[type] ?? 0) / SAMPLE_PER_TYPE));
  const seenOfType = new Map<string, number>();
  const nextOffset = new Map<number, number>();
  const offsets = new Map<number, number[]>();
  for await (const entry of sentLogEntries(log)) {
    const partition = entry.partition!;
    const offset = nextOffset.get(partition) ?? 0;
    nextOffset.set(partition, offset + 1);
    const type = entry.event?.eventType ?? 'undecodable';
    const index = seenOfType.get(type) ?? 0;
    seenOfType.set(type, index + 1);
    if (index % stride(type) !== 0 || index / stride(type) >= SAMPLE_PER_TYPE) continue;
    offsets.set(partition, [...(offsets.get(partition) ?? []), offset]);
  }
  return offsets;
}

/** The bytes at the given offsets of the topic, read back by a consumer seeking to each. */
async function readOffsets(topic: string, offsets: Map<number, number[]>): Promise<Buffer[]> {
  const wanted = new Map([...offsets].map(([partition, list]) => [partition, [...list]]));
  const sample: Buffer[] = [];
  const consumer = await testConsumer({
    groupId: uniqueGroupId('simulator-sample'),
    // Small fetches: after each seek only the first records are wanted.
    maxBytesPerPartition: 16 * 1024,
  });
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const list = wanted.get(batch.partition) ?? [];
          for (const m of batch.messages) {
            if (Number(m.offset) !== list[0]) continue;
            sample.push(m.value!);
            list.shift();
          }
          const next = list[0];
          if (next === undefined) {
            if ([...wanted.values()].every((rest) => rest.length === 0)) resolve();
          } else if (next > Number(batch.lastOffset()) + 1) {
            consumer.seek({ topic, partition: batch.partition, offset: String(next) });
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return sample;
}

describe('simulator, a full day', () => {
  it('should land a --fast day for all trusts exactly as its sent log says', async ({
    annotate,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'simulator-day-'));
    try {
      const topic = await uniqueTopic({ partitions: ACTIVITY_PARTITIONS, label: 'simulator-day' });
      const log = join(dir, 'day.jsonl');
      const args = ['--fast', '--from', '2026-11-23T00:00:00Z', '--to', '2026-11-24T00:00:00Z'];
      const faults =
        'duplicate=0.01,late=0.001,tooLate=0.0001,corrupt=0.0001,unknownProvider=0.0001';
      const options = parseOptions([...args, '--faults', faults, '--topic', topic, '--log', log]);
      const started = performance.now();
      const codec = createCodec();
      const summary = await runSimulator(options, {
        kafka: testKafka('simulator'),
        refdata: testRefData(),
        codec,
        logger: testLogger(),
      });
      const published = performance.now();
      const count = await expectTopicEqualsLog(topic, log);
      process.stderr.write(
        `${formatSummary(summary)}\n  published in ${((published - started) / 1000).toFixed(0)} s, ` +
          `read back and compared in ${((performance.now() - published) / 1000).toFixed(0)} s\n`,
      );
      expect(count).toBe(summary.records);
      expect(count).toBeGreaterThan(300_000);

      // A developer machine without a JDK skips the Java decode, saying so; CI never does.
      const missing = process.env.CI ? undefined : javaAvroMissing();
      if (missing) {
        await annotate(`Java Avro decode of the topic sample skipped: ${missing}`);
        return;
      }
      const sampling = performance.now();
      const sample = await readOffsets(topic, await sampleOffsets(log, summary.byEventType));
      const ours = sample.map((bytes): { json: ActivityEvent } | { error: string } => {
        try {
          return { json: codec.decode(bytes) };
        } catch (err) {
          return { error: String(err) };
        }
      });
      const theirs = await javaDecode(sample);
      process.stderr.write(
        `  ${sample.length} records sampled from the topic and decoded by Java Avro in ` +
          `${((performance.now() - sampling) / 1000).toFixed(1)} s\n`,
      );
      // Both decoders refuse the same records (the injected corrupt ones) and agree on the rest.
      expect(theirs.map((r) => 'error' in r)).toEqual(ours.map((r) => 'error' in r));
      expect(theirs.filter((r) => 'json' in r)).toEqual(ours.filter((r) => 'json' in r));
      const types = new Set(ours.flatMap((r) => ('json' in r ? [r.json.eventType] : [])));
      expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
      expect(theirs.filter((r) => 'error' in r).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
