// Publishers and the aggregator ride out a broker outage of several minutes: the simulator (a
// publisher built on @pulse/kafka) sends a day while the broker is stopped for OUTAGE_MS and
// started again on the same port and data; it sends everything and exits 0, the aggregator
// process stays up, catches up, and every figure equals the oracle's.
import { setTimeout as sleep } from 'node:timers/promises';
import { BruteForce, readSentLog, toSentRecord } from '@pulse/verify';
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

      const sent = (await readSentLog(log)).map(toSentRecord);
      const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });
      const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
      console.info(
        `outage: broker down ${(outageMs / 1000).toFixed(0)} s while the simulator sent; ${sent.length} records, ${appliedBefore} applied before the restart; ${summary.values} values compared, ${summary.mismatchCount} different`,
      );
      expect(summary.mismatches).toEqual([]);
    },
  );
});
