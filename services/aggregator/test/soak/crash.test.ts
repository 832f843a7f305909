// Exactly-once through SIGKILL: the aggregator runs as its own process (main.ts) and is killed at
// random moments while the simulator sends a day of activity for every trust with 5% of events
// resent; after the last restart catches up, every figure equals the oracle's.
import { setTimeout as sleep } from 'node:timers/promises';
import { BruteForce, readSentLog, toSentRecord } from '@pulse/verify';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from '../helpers/compare.js';
import {
  appliedSoFar,
  caughtUp,
  replayWorld,
  resolver,
  waitFor,
  waitUntilCaughtUp,
} from '../helpers/harness.js';
import {
  runSimulator,
  sentLogPath,
  simulatedDay,
  startAggregatorProcess,
} from '../helpers/processes.js';

const DATE = '2026-05-14';
const MIN_KILLS_SENDING = 5;
const MAX_KILLS = 8;

describe('aggregator crash safety', () => {
  it('aggregator should count every event exactly once through repeated SIGKILLs and restarts', async () => {
    const { world, day, clock } = await replayWorld(DATE, {
      partitions: 6,
      env: { MAX_APPLY_RECORDS: '2000' },
    });
    const log = await sentLogPath();

    // The whole London day at 1,080x: about 80 s of sending, long enough for MIN_KILLS_SENDING
    // kill-and-restart rounds (each waits for the new process to join and apply) to land while
    // the simulator is still sending.
    let sending = true;
    const simulator = runSimulator(
      [
        ...['--topic', world.topic, '--seed', 'crash', '--log', log],
        ...simulatedDay(day, 1080),
        ...['--faults', 'duplicate=0.05', '--rtt-scale', '0.002'],
      ],
      { KAFKA_BROKERS: world.env.KAFKA_BROKERS! },
    ).finally(() => (sending = false));
    let failure: unknown;
    simulator.catch((err: unknown) => (failure = err));

    // Kill while the simulator sends, and only then: the next process restarts mid-stream.
    const kills: { applied: bigint; whileSending: boolean }[] = [];
    while (sending && kills.length < MAX_KILLS) {
      const before = await appliedSoFar(world);
      const child = startAggregatorProcess(world.env);
      // Kill only once this incarnation has applied something (or there is nothing left).
      await waitFor('a restarted aggregator to make progress', async () => {
        if (failure) throw failure;
        return (await appliedSoFar(world)) > before || (!sending && (await caughtUp(world)));
      });
      await sleep(Math.random() * 1_000);
      const whileSending = sending;
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      kills.push({ applied: await appliedSoFar(world), whileSending });
    }
    const killedWhileSending = kills.filter((k) => k.whileSending).length;
    expect(killedWhileSending).toBeGreaterThanOrEqual(MIN_KILLS_SENDING);

    const last = startAggregatorProcess(world.env);
    await simulator;
    await waitUntilCaughtUp(world);
    // A clean stop: finish the batch, leave the group, exit 0.
    last.process.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });

    const sent = (await readSentLog(log)).map(toSentRecord);
    expect(sent.length).toBeGreaterThanOrEqual(200_000);
    const oracle = new BruteForce(sent, { resolve: resolver(), clock });
    const duplicates = [...oracle.dataQuality.values()].reduce((n, q) => n + q.duplicates, 0);
    expect(duplicates).toBeGreaterThan(sent.length * 0.03);
    const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
    console.info(
      `crash: ${sent.length} records (${duplicates} resent), ${kills.length} kills (${killedWhileSending} while sending) at applied offsets ${kills.map((k) => k.applied).join(', ')}; ${summary.values} values compared, ${summary.mismatchCount} different`,
    );
    expect(summary.mismatches).toEqual([]);
  });
});
