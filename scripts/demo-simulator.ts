// The demo's simulator: one continuous stream of today's activity, from London midnight, paced
// against the wall clock so no event is ever future-dated (the aggregator rejects those):
//
//   default      records already due (midnight → now) go out as fast as possible, then each one
//                when the wall clock reaches it: a backfill of today so far, then real time;
//   --speed N    today replays from London midnight at N× until it catches up with the wall
//                clock, then continues in real time.
//
// One generator run, so there is no seam: a second run from "now" would resend the RTT waiting
// list and leave the first run's patients in A&E open for ever. Takes the simulator's own
// options (`--trusts`, `--seed`, `--rtt-scale`, `--faults`, `--speed`); `--from` is midnight.
//
// It uses the simulator's library rather than its CLI because the CLI paces relative to its
// start (`--speed` from `--from`), which cannot catch up with the present. Run by scripts/demo.mjs.
import { kafkaBrokers, loadConfig, logLevel } from '@pulse/config';
import { createCodec } from '@pulse/contracts';
import { createKafka, createProducer, ensureTopics } from '@pulse/kafka';
import { londonDayBounds, londonDateOf } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { loadRefData } from '@pulse/refdata';
import { parseOptions, simulatedRecords, type SimulatorOptions } from 'simulator';
// Not (yet) exported by the simulator's index; see the report on a `--catch-up` CLI option.
import { keyPartitioner } from '../services/simulator/src/publish/partitions.js';
import { publish, type Pace } from '../services/simulator/src/publish/publisher.js';
import type { OutRecord } from '../services/simulator/src/faults/inject.js';

/** Yields records with clock before `limit`; the first one at or after it is kept in `held`. */
function* before(source: Iterator<OutRecord>, limit: number, held: { record?: OutRecord }) {
  for (let step = source.next(); !step.done; step = source.next()) {
    if (step.value.clock >= limit) {
      held.record = step.value;
      return;
    }
    yield step.value;
  }
}

/** The held record (if any), then the rest of the source. */
function* rest(source: Iterator<OutRecord>, held: { record?: OutRecord }) {
  if (held.record) yield held.record;
  for (let step = source.next(); !step.done; step = source.next()) yield step.value;
}

async function main(): Promise<void> {
  const env = loadConfig({ KAFKA_BROKERS: kafkaBrokers, LOG_LEVEL: logLevel });
  const logger = createLogger({ service: 'simulator', level: env.LOG_LEVEL });
  const midnight = londonDayBounds(londonDateOf(Date.now())).start;
  const options: SimulatorOptions = parseOptions([
    ...process.argv.slice(2),
    '--from',
    new Date(midnight).toISOString(),
  ]);
  const kafka = createKafka({
    brokers: options.brokers ?? env.KAFKA_BROKERS,
    clientId: 'simulator',
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  let partitionOf: (key: string) => number;
  try {
    await ensureTopics(admin, [{ topic: options.topic, numPartitions: 12 }]);
    partitionOf = await keyPartitioner(admin, options.topic);
  } finally {
    await admin.disconnect();
  }
  const producer = createProducer(kafka);
  await producer.connect();
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop.abort());

  const records = simulatedRecords(options, loadRefData(), createCodec())[Symbol.iterator]();
  const send = (stream: Iterable<OutRecord>, pace: Pace) =>
    publish(stream, { producer, topic: options.topic, partitionOf, pace, signal: stop.signal });
  const held: { record?: OutRecord } = {};
  try {
    if (options.speed > 1) {
      const wallStart = Date.now();
      // Simulated time midnight + speed × (t - wallStart) meets the wall clock t here.
      const catchUp = (options.speed * wallStart - midnight) / (options.speed - 1);
      logger.info(
        { speed: options.speed, catchUp: new Date(catchUp).toISOString() },
        'replaying today from midnight until it catches up with the wall clock',
      );
      const summary = await send(before(records, catchUp, held), {
        from: midnight,
        speed: options.speed,
        wallStart,
      });
      logger.info({ records: summary.records }, 'caught up: real time from now on');
    } else {
      logger.info('backfilling today from midnight, then real time');
    }
    // A record is due when the wall clock reaches its own clock: the past goes out at once.
    if (!stop.signal.aborted) await send(rest(records, held), { from: 0, speed: 1, wallStart: 0 });
  } finally {
    await producer.disconnect();
    logger.info('stopped');
  }
}

await main();
