// Exactly-once through rebalances: 1 -> 3 -> 1 aggregator processes (main.ts, as deployed) in one
// consumer group while the simulator sends; partitions move twice each way, each of the three
// processes applies events (its own /metrics says so) and the figures still equal the oracle's.
import { BruteForce, readSentLog, toSentRecord } from '@pulse/verify';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from '../helpers/compare.js';
import {
  appliedSoFar,
  caughtUp,
  replayWorld,
  refdata,
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

const DATE = '2026-05-15';
const APPLIED = 'aggregator_events_applied_total';

describe('aggregator rebalancing', () => {
  it('aggregator should count every event exactly once while processes go from 1 to 3 to 1, each of them applying events', async () => {
    const { world, day, clock } = await replayWorld(DATE, {
      partitions: 6,
      env: { MAX_APPLY_RECORDS: '1000' },
    });
    const log = await sentLogPath();
    // A fifth of the trusts: enough traffic for every partition, quick to compare.
    const trusts = refdata()
      .trusts(DATE)
      .filter((_, i) => i % 5 === 0)
      .map((t) => t.odsCode);

    // The whole day at 1,440x: about a minute of sending, so the three processes share it.
    let sending = true;
    const simulator = runSimulator(
      [
        ...['--topic', world.topic, '--seed', 'rebalance', '--log', log],
        ...simulatedDay(day, 1440),
        ...['--faults', 'duplicate=0.05', '--rtt-scale', '0.002'],
        ...['--trusts', trusts.join(',')],
      ],
      { KAFKA_BROKERS: world.env.KAFKA_BROKERS! },
    ).finally(() => (sending = false));
    let failure: unknown;
    simulator.catch((err: unknown) => (failure = err));

    const start = async () => {
      const port = await freePort();
      return { port, child: startAggregatorProcess({ ...world.env, PORT: String(port) }) };
    };
    const applied = (p: { port: number }) => metricOf(p.port, APPLIED);
    /** Waits until each process has applied more events than `floor` (its count then). */
    const eachApplies = async (what: string, processes: { port: number }[], floor: number[]) =>
      waitFor(what, async () => {
        if (failure) throw failure;
        const counts = await Promise.all(processes.map(applied));
        return counts.every((n, i) => n > floor[i]!);
      });

    const first = await start();
    await waitFor('the first process to serve /metrics', async () =>
      applied(first).then(
        () => true,
        () => false,
      ),
    );
    await eachApplies('the first process to apply', [first], [0]);

    // 1 -> 3: the group rebalances and each of the three applies events of its own partitions.
    const more = [await start(), await start()];
    const three = [first, ...more];
    await waitFor('the new processes to serve /metrics', async () =>
      Promise.all(more.map(applied)).then(
        () => true,
        () => false,
      ),
    );
    const firstBefore = await applied(first);
    await eachApplies('each of three processes to apply', three, [firstBefore, 0, 0]);
    const byProcess = await Promise.all(three.map(applied));
    const whileSending = sending;

    // 3 -> 1: the two leave cleanly (finish their batch, leave the group, exit 0).
    for (const { child } of more) child.process.kill('SIGTERM');
    for (const { child } of more) expect(await child.exited).toEqual({ code: 0, signal: null });
    const before = await appliedSoFar(world);
    await waitFor('the first process to go on alone', async () => {
      if (failure) throw failure;
      return (await appliedSoFar(world)) > before || (!sending && (await caughtUp(world)));
    });
    await simulator;
    await waitUntilCaughtUp(world);
    const fences = await metricOf(first.port, 'aggregator_fence_conflicts_total');
    const firstAtEnd = await applied(first);
    first.child.process.kill('SIGTERM');
    expect(await first.child.exited).toEqual({ code: 0, signal: null });

    const sent = (await readSentLog(log)).map(toSentRecord);
    const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });
    const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
    console.info(
      `rebalance: ${sent.length} records; events applied while three ran (first, second, third): ${byProcess.join(', ')} (simulator ${whileSending ? 'still' : 'no longer'} sending); first process ${firstAtEnd} in all, ${fences} fence conflicts; ${summary.values} values compared, ${summary.mismatchCount} different`,
    );
    expect(byProcess.every((n) => n > 0)).toBe(true);
    expect(summary.mismatches).toEqual([]);
  });
});
