// Exactly-once through SIGKILL: the aggregator runs as its own process (main.ts) and is killed at
// random moments while the simulator sends a day of activity for every trust with 5% of events
// resent; after the last restart catches up, every figure equals the oracle's. Runs with the
// production session timeout, and reports how long each kill stalled the partitions.
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
  isKnownProvider,
} from '../helpers/harness.js';
import {
  freePort,
  metricOf,
  runSimulator,
  sentLogPath,
  simulatedDay,
  startAggregatorProcess,
} from '../helpers/processes.js';

const DATE = '2026-05-14';
const MIN_KILLS_SENDING = 5;
const MAX_KILLS = 8;
const APPLIED = 'aggregator_events_applied_total';

describe('aggregator crash safety', () => {
  it('aggregator should count every event exactly once through repeated SIGKILLs and restarts', async () => {
    const { world, day, clock } = await replayWorld(DATE, {
      partitions: 6,
      env: { MAX_APPLY_RECORDS: '2000' },
    });
    const log = await sentLogPath();

    // The whole London day at 720x: about 120 s of sending, long enough for MIN_KILLS_SENDING
    // kill-and-restart rounds (each waits for the new process to join and apply, which takes
    // the production session timeout of the killed member, ~10 s) to land while the simulator
    // is still sending.
    let sending = true;
    const simulator = runSimulator(
      [
        ...['--topic', world.topic, '--seed', 'crash', '--log', log],
        ...simulatedDay(day, 720),
        ...['--faults', 'duplicate=0.05', '--rtt-scale', '0.002'],
      ],
      { KAFKA_BROKERS: world.env.KAFKA_BROKERS! },
    ).finally(() => (sending = false));
    let failure: unknown;
    simulator.catch((err: unknown) => (failure = err));

    // Kill while the simulator sends, and only then: the next process restarts mid-stream.
    const kills: { applied: bigint; whileSending: boolean; at: number }[] = [];
    // Per restart after a kill, with the production session timeout: ms from the SIGKILL to the
    // next process's first apply (its start-up, the dead member's session expiring, the
    // rebalance). Reported, not asserted: the tests never pass or fail on wall-clock speed.
    const stalls: number[] = [];
    while (sending && kills.length < MAX_KILLS) {
      const port = await freePort();
      const child = startAggregatorProcess({ ...world.env, PORT: String(port) });
      // Kill only once this incarnation has applied something (its own /metrics says so), or
      // there is nothing left. (The sum of stored offsets would also count an apply the killed
      // process had sent to Redis before it died.)
      let progressed = false;
      await waitFor('a restarted aggregator to make progress', async () => {
        if (failure) throw failure;
        progressed = (await metricOf(port, APPLIED).catch(() => 0)) > 0;
        return progressed || (!sending && (await caughtUp(world)));
      });
      const killed = kills.at(-1);
      if (killed && progressed) stalls.push(Date.now() - killed.at);
      await sleep(Math.random() * 1_000);
      const whileSending = sending;
      child.process.kill('SIGKILL');
      const at = Date.now();
      expect((await child.exited).signal).toBe('SIGKILL');
      kills.push({ applied: await appliedSoFar(world), whileSending, at });
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
    const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });
    const duplicates = [...oracle.dataQuality.values()].reduce((n, q) => n + q.duplicates, 0);
    expect(duplicates).toBeGreaterThan(sent.length * 0.03);
    const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
    const seconds = [...stalls].sort((a, b) => a - b).map((ms) => (ms / 1000).toFixed(1));
    console.info(
      `crash: ${sent.length} records (${duplicates} resent), ${kills.length} kills (${killedWhileSending} while sending) at applied offsets ${kills.map((k) => k.applied).join(', ')}; SIGKILL to the next process's first apply (s, sorted): ${seconds.join(', ')}; ${summary.values} values compared, ${summary.mismatchCount} different`,
    );
    expect(summary.mismatches).toEqual([]);
  });
});
