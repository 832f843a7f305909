// The group's Kafka offsets can run ahead of Redis (a commit that outlived a Redis restore, a
// tool that moved the group): the first batch then begins past the offset stored in Redis, and
// the aggregator must seek back to it rather than skip the records in between.
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import { BruteForce } from '@pulse/verify';
import { testKafka, testProducer } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from './helpers/compare.js';
import { admission, edArrival } from './helpers/events.js';
import {
  createWorld,
  endOffsets,
  resolver,
  startInProcess,
  storedOffsets,
  waitUntilCaughtUp,
  isKnownProvider,
} from './helpers/harness.js';
import type { World } from './helpers/harness.js';

const codec = createCodec();
const MINUTE = 60_000;
/** How far past the stored offset the group's Kafka offset is moved, where the records allow. */
const AHEAD = 5n;

/** Events of two trusts, one a minute, ending at `end`. */
function events(n: number, end: number): ActivityEvent[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0 ? edArrival('RGT', end - i * MINUTE) : admission('RRK', end - i * MINUTE),
  );
}

async function send(world: World, list: readonly ActivityEvent[]): Promise<void> {
  const producer = await testProducer();
  await producer.send({
    topic: world.topic,
    messages: list.map((e) => ({ key: e.providerOds, value: codec.encode(e) })),
  });
}

describe('aggregator seek-back', () => {
  it('aggregator should seek back to the offset stored in Redis when the group committed offset is ahead of it, and skip no record', async () => {
    const world = await createWorld({ partitions: 2 });
    const now = Date.now() - 30 * MINUTE;
    const before = events(40, now - 60 * MINUTE);
    const after = events(60, now);

    // A first instance applies the first records and leaves the group.
    await send(world, before);
    const first = await startInProcess(world);
    await waitUntilCaughtUp(world);
    await first.stop();

    // More records arrive; the group's Kafka offset is moved past the one Redis holds.
    await send(world, after);
    const stored = await storedOffsets(world);
    const ends = await endOffsets(world.topic);
    const partitions = [...stored].map(([partition, offset]) => ({
      partition,
      offset: ends.get(partition)! - offset > AHEAD ? offset + AHEAD : offset,
    }));
    const ahead = partitions.filter(({ partition, offset }) => offset > stored.get(partition)!);
    expect(ahead.length).toBeGreaterThan(0);
    const admin = testKafka('agg-seek-admin').admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: world.groupId,
        topic: world.topic,
        partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
      });
    } finally {
      await admin.disconnect();
    }

    // A second instance starts past Redis's offset, seeks back and applies everything.
    const second = await startInProcess(world);
    await waitUntilCaughtUp(world);
    // It read the records past the stored offset twice: once before seeking back, once after.
    const consumed = await second.aggregator.metrics.registry
      .getSingleMetric('aggregator_records_consumed_total')!
      .get();
    expect(consumed.values[0]!.value).toBeGreaterThan(after.length);

    const sent = [...before, ...after].map((event) => ({ event }));
    const oracle = new BruteForce(sent, {
      resolve: resolver(),
      isKnownProvider,
      clock: now + 30 * MINUTE,
    });
    const summary = await compareWithOracle(world.reader, oracle, {
      dates: [],
      asOf: now + 30 * MINUTE,
      onlyScopes: ['t:RGT', 't:RRK'],
      providers: ['RGT', 'RRK'],
    });
    expect(summary.mismatches).toEqual([]);
    const accepted =
      (await world.reader.dataQuality('RGT')).accepted +
      (await world.reader.dataQuality('RRK')).accepted;
    expect(accepted).toBe(before.length + after.length);
  });
});
