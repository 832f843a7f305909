// Publishers and the aggregator ride out a broker outage of several minutes: the simulator (a
// publisher built on @pulse/kafka) sends a day while the broker is stopped for OUTAGE_MS and
// started again on the same port and data; it sends everything and exits 0, the aggregator
// process stays up, catches up, and every figure equals the oracle's.
import { setTimeout as sleep } from 'node:timers/promises';
import { createCodec } from '@pulse/contracts';
import { createKafka } from '@pulse/kafka';
import { testLogger } from '@pulse/testkit';
import { BruteForce, readSentLog, toSentRecord, type SentRecord } from '@pulse/verify';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from '../helpers/compare.js';
import {
  appliedSoFar,
  isKnownProvider,
  refdata,
  replayWorld,
  resolver,
  waitFor,
  waitUntilCaughtUp,
} from '../helpers/harness.js';
import { kafkaJavaMissing } from '../helpers/java-producer.js';
import { ownBroker } from '../helpers/own-broker.js';
import {
  runSimulator,
  sentLogPath,
  simulatedDay,
  startAggregatorProcess,
} from '../helpers/processes.js';

const DATE = '2026-05-12';

/**
 * How many copies of each event the topic holds. A produce request in flight when the broker
 * stops can be written and then sent again, so the topic may hold a record the simulator sent
 * once twice; the aggregator rightly counts the second as a duplicate, so the oracle must see it.
 */
async function copiesInTopic(brokers: string, topic: string): Promise<Map<string, number>> {
  const kafka = createKafka({ brokers, clientId: 'outage-read', logger: testLogger() });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const codec = createCodec();
  const copies = new Map<string, number>();
  let read = 0;
  const consumer = kafka.consumer({ groupId: `outage-read-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      read += 1;
      try {
        const id = codec.decode(message.value!).eventId;
        copies.set(id, (copies.get(id) ?? 0) + 1);
      } catch {
        // a deliberately bad record: the sent log has it as it was sent
      }
    },
  });
  await waitFor(`all ${total} records of ${topic} read back`, async () => read >= total);
  await consumer.disconnect();
  return copies;
}

/** The sent records plus a copy of each event for every extra time the topic holds it. */
function asInTopic(sent: SentRecord[], copies: Map<string, number>): SentRecord[] {
  const sentCopies = new Map<string, number>();
  for (const r of sent) {
    if (r.event) sentCopies.set(r.event.eventId, (sentCopies.get(r.event.eventId) ?? 0) + 1);
  }
  const extra = sent.flatMap((r) => {
    if (!r.event) return [];
    const id = r.event.eventId;
    const surplus = (copies.get(id) ?? 0) - (sentCopies.get(id) ?? 0);
    if (surplus <= 0) return [];
    sentCopies.set(id, sentCopies.get(id)! + surplus);
    return Array.from({ length: surplus }, () => r);
  });
  return [...sent, ...extra];
}
/** Three minutes: three times what publishers survived before (about 60 s). */
const OUTAGE_MS = 3 * 60_000;
const noJava = kafkaJavaMissing();
// A broker of the test's own runs from its jars (Java and Maven); only outside CI may their
// absence skip it.
const skip = noJava !== undefined && !process.env.CI;

describe('aggregator and publishers through a broker outage', () => {
  it.skipIf(skip)(
    `simulator and aggregator should go on through a broker outage of several minutes and count every event once${skip ? ` (skipped: ${noJava})` : ''}`,
    async () => {
      // Regression: clients built on @pulse/kafka allowed 8 retries, and after about 60 s of
      // outage the simulator's send failed for good and it exited.
      const broker = await ownBroker();
      const { world, day, clock } = await replayWorld(DATE, {
        partitions: 3,
        brokers: broker.brokers,
      });
      const log = await sentLogPath();
      const trusts = refdata()
        .trusts(DATE)
        .filter((_, i) => i % 6 === 0)
        .map((t) => t.odsCode);

      // The day at 300x: about 290 s of sending, so it goes on before, through and after the outage.
      let sending = true;
      const simulator = runSimulator(
        [
          ...['--topic', world.topic, '--seed', 'outage', '--log', log],
          ...simulatedDay(day, 300),
          ...['--faults', 'duplicate=0.05', '--rtt-scale', '0.002'],
          ...['--trusts', trusts.join(',')],
        ],
        { KAFKA_BROKERS: broker.brokers },
      ).finally(() => (sending = false));
      let failure: unknown;
      simulator.catch((err: unknown) => (failure = err));
      const aggregator = startAggregatorProcess(world.env);

      await waitFor('the aggregator to apply the first records', async () => {
        if (failure) throw failure;
        return (await appliedSoFar(world)) > 0n;
      });
      expect(sending).toBe(true);
      const stoppedAt = Date.now();
      await broker.stop();
      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
      // Both held on through the outage.
      expect(failure).toBeUndefined();
      expect(sending).toBe(true);
      expect(aggregator.process.exitCode).toBeNull();
      const appliedBefore = await appliedSoFar(world);
      await broker.start();
      const outageMs = Date.now() - stoppedAt;

      await simulator;
      await waitUntilCaughtUp(world);
      expect(await appliedSoFar(world)).toBeGreaterThan(appliedBefore);
      aggregator.process.kill('SIGTERM');
      expect(await aggregator.exited).toEqual({ code: 0, signal: null });

      const sentOnce = (await readSentLog(log)).map(toSentRecord);
      const sent = asInTopic(sentOnce, await copiesInTopic(broker.brokers, world.topic));
      if (sent.length > sentOnce.length)
        console.info(`outage: the topic holds ${sent.length - sentOnce.length} records twice`);
      const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });
      const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
      console.info(
        `outage: broker down ${(outageMs / 1000).toFixed(0)} s while the simulator sent; ${sent.length} records, ${appliedBefore} applied before the restart; ${summary.values} values compared, ${summary.mismatchCount} different`,
      );
      expect(summary.mismatches).toEqual([]);
    },
  );
});
