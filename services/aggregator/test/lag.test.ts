// aggregator_consumer_lag_records is the topic's end offset minus the offset stored in Redis, read
// on its own timer: a partition nobody applies shows its records as lag, though no batch runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { createCodec } from '@pulse/contracts';
import { keyPartitioner } from '@pulse/kafka';
import { testConsumer, testProducer } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import type { Aggregator } from '../src/aggregator.js';
import { lagOf, startLagMonitor } from '../src/lag.js';
import { edArrival } from './helpers/events.js';
import {
  createWorld,
  endOffsets,
  startInProcess,
  storedOffsets,
  waitFor,
  waitUntilCaughtUp,
} from './helpers/harness.js';

const codec = createCodec();
const MINUTE = 60_000;

/** The lag gauge of one instance, by partition. */
async function lagByPartition(aggregator: Aggregator): Promise<Map<number, number>> {
  await aggregator.refreshLag();
  const gauge = aggregator.metrics.registry.getSingleMetric('aggregator_consumer_lag_records');
  const { values } = await gauge!.get();
  return new Map(values.map((v) => [Number(v.labels.partition), v.value]));
}

describe('lagOf', () => {
  it('lagOf should count from the stored offset, or from the earliest record held before any', () => {
    expect(lagOf({ high: 100n, low: 0n }, 40n)).toBe(60);
    expect(lagOf({ high: 100n, low: 10n }, undefined)).toBe(90);
    // Records deleted by retention below the stored offset are not lag; nor is a caught-up partition.
    expect(lagOf({ high: 100n, low: 50n }, 20n)).toBe(50);
    expect(lagOf({ high: 100n, low: 0n }, 100n)).toBe(0);
  });
});

describe('startLagMonitor', () => {
  it('startLagMonitor should keep the last reading of a source that fails and go on with the other', async () => {
    let high = 10n;
    let redisUp = true;
    const reported = new Map<number, number>();
    const errors: unknown[] = [];
    const monitor = startLagMonitor({
      sources: {
        endOffsets: async () => new Map([[0, { high, low: 0n }]]),
        storedOffset: async () => {
          if (!redisUp) throw new Error('Redis down');
          return '4';
        },
      },
      report: (partition, records) => reported.set(partition, records),
      onError: (err) => errors.push(err),
      intervalMs: 3_600_000,
    });
    await monitor.refresh();
    expect(reported.get(0)).toBe(6);
    // Redis unreachable while records keep arriving: the lag grows from the last stored offset.
    redisUp = false;
    high = 25n;
    await monitor.refresh();
    expect(reported.get(0)).toBe(21);
    expect(errors).toHaveLength(1);
    monitor.stop();
  });
});

describe('aggregator lag metric', () => {
  it('aggregator_consumer_lag_records should show the records of a partition a stuck member holds though nothing is applied', async () => {
    // Regression: the gauge was set only after an applied batch (and cleared on every rebalance),
    // so it read 0 while a partition stood still.
    const world = await createWorld({ partitions: 2 });
    const partitionOf = keyPartitioner(world.partitions);
    const trusts = ['RGT', 'RRK', 'RAJ', 'RXN', 'R0A', 'RYJ'];
    const trustOn = [0, 1].map((p) => trusts.find((ods) => partitionOf(ods) === p)!);
    const now = Date.now() - 30 * MINUTE;
    const send = async (count: number) => {
      const messages = Array.from({ length: count }, (_, i) => {
        const event = edArrival(trustOn[i % 2]!, now + i);
        return { key: event.providerOds, value: codec.encode(event) };
      });
      await (await testProducer()).send({ topic: world.topic, messages });
    };

    // An aggregator alone applies everything so far: no lag.
    const { aggregator } = await startInProcess(world);
    await send(20);
    await waitUntilCaughtUp(world);
    await waitFor('no lag', async () =>
      [...(await lagByPartition(aggregator)).values()].every((lag) => lag === 0),
    );

    // A member that joins the group and then stands still on what it is given (a replica whose
    // Redis writes hang, say): it keeps its partition by heartbeating and applies nothing.
    let stuckOn: number | undefined;
    let released = false;
    const stuck = await testConsumer({ groupId: world.groupId });
    stuck.on(stuck.events.GROUP_JOIN, ({ payload }) => {
      stuckOn = payload.memberAssignment[world.topic]?.[0];
    });
    await stuck.subscribe({ topics: [world.topic] });
    await stuck.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ heartbeat, isRunning, isStale }) => {
        while (!released && isRunning() && !isStale()) {
          await heartbeat();
          await sleep(200);
        }
      },
    });
    await waitFor('the group to settle with one partition each', async () => {
      return stuckOn !== undefined && aggregator.isJoined();
    });
    const held = stuckOn!;
    const applying = 1 - held;
    const before = await storedOffsets(world);

    await send(30);
    const ends = await endOffsets(world.topic);
    const waiting = Number(ends.get(held)! - before.get(held)!);
    expect(waiting).toBe(15);
    // The aggregator applies its own partition; the stuck one's records are lag.
    await waitFor('the stall in the lag gauge', async () => {
      const lag = await lagByPartition(aggregator);
      return lag.get(held) === waiting && lag.get(applying) === 0;
    });
    expect((await storedOffsets(world)).get(held)).toBe(before.get(held));

    // The stuck member leaves: the aggregator takes its partition and the lag goes back to 0.
    released = true;
    await stuck.disconnect();
    await waitUntilCaughtUp(world);
    await waitFor(
      'the lag to clear',
      async () => (await lagByPartition(aggregator)).get(held) === 0,
    );
  });
});
