// One simulator run: which trusts, the record stream (generator + faults), and publishing it.
// Takes its clients as arguments; only main.ts reads the environment and handles signals.
import type { Codec } from '@pulse/contracts';
import { createProducer, ensureTopics } from '@pulse/kafka';
import type { Logger } from '@pulse/logging';
import { londonDateOf, type RefData, type Trust } from '@pulse/refdata';
import { ACTIVITY_PARTITIONS, ACTIVITY_RETENTION_MS } from '@pulse/topology';
import type { Kafka } from 'kafkajs';
import type { SimulatorOptions } from './cli/options.js';
import { SimulatorError } from './errors.js';
import { injectFaults, type OutRecord } from './faults/inject.js';
import { generateActivity } from './generate/index.js';
import { SentLogWriter } from './log/sent-log.js';
import { caughtUpAt, type Pace } from './publish/pace.js';
import { keyPartitioner } from './publish/partitions.js';
import { publish } from './publish/publisher.js';
import type { Summary } from './publish/summary.js';

/** The trusts to simulate: all open on the start date, or the named ones (each must be open). */
export function selectTrusts(
  refdata: RefData,
  from: number,
  codes: readonly string[] | undefined,
): { trusts: readonly Trust[]; openTrusts: readonly Trust[] } {
  const date = londonDateOf(from);
  const openTrusts = refdata.trusts(date);
  if (!codes) return { trusts: openTrusts, openTrusts };
  const open = new Map(openTrusts.map((t) => [t.odsCode, t]));
  const trusts = [...new Set(codes)].map((code) => {
    const trust = open.get(code);
    if (trust) return trust;
    const known = refdata.trust(code);
    const why = known ? `${known.name} is not open then` : 'no trust has that ODS code';
    throw new SimulatorError(
      'UNKNOWN_TRUST',
      `--trusts: ${code} is not a trust open on ${date} (${why})`,
    );
  });
  return { trusts, openTrusts };
}

/** The records a run sends, in send order: generated activity with faults injected. */
export function simulatedRecords(
  options: Pick<SimulatorOptions, 'seed' | 'from' | 'to' | 'trusts' | 'faults' | 'rttScale'>,
  refdata: RefData,
  codec: Pick<Codec, 'encode'>,
): Iterable<OutRecord> {
  const { trusts, openTrusts } = selectTrusts(refdata, options.from, options.trusts);
  const events = generateActivity({
    seed: options.seed,
    from: options.from,
    to: options.to,
    trusts,
    openTrusts,
    rttScale: options.rttScale,
  });
  return injectFaults(events, {
    seed: options.seed,
    ratios: options.faults,
    codec,
    isKnownProvider: (ods) => refdata.trust(ods) !== undefined,
  });
}

/** How a run is paced: none (--fast), from --from at --speed, or a catch-up. */
export function paceOf(
  options: Pick<SimulatorOptions, 'from' | 'speed' | 'catchUp'>,
  wallStart: number,
): Pace | undefined {
  if (!options.catchUp && !Number.isFinite(options.speed)) return undefined;
  return { from: options.from, speed: options.speed, wallStart, catchUp: options.catchUp };
}

export interface RunDeps {
  kafka: Kafka;
  refdata: RefData;
  codec: Codec;
  logger: Logger;
  /** Aborted on SIGTERM/SIGINT: the run flushes and returns. */
  signal?: AbortSignal;
}

export async function runSimulator(options: SimulatorOptions, deps: RunDeps): Promise<Summary> {
  const { kafka, logger } = deps;
  const records = simulatedRecords(options, deps.refdata, deps.codec);
  const admin = kafka.admin();
  await admin.connect();
  let partitionOf: (key: string) => number;
  try {
    // A topic it creates gets the activity topic's partition count and retention
    // (@pulse/topology), with CreateTime timestamps: the simulated times it stamps, so a replayed
    // past day is judged as then (production creates the topic with LogAppendTime).
    const retention = { name: 'retention.ms', value: String(ACTIVITY_RETENTION_MS) };
    await ensureTopics(admin, [
      { topic: options.topic, numPartitions: ACTIVITY_PARTITIONS, configEntries: [retention] },
    ]);
    partitionOf = await keyPartitioner(admin, options.topic);
  } finally {
    await admin.disconnect();
  }
  const log = options.log ? new SentLogWriter(options.log) : undefined;
  const producer = createProducer(kafka);
  await producer.connect();
  const pace = paceOf(options, Date.now());
  // At --speed N from the past, the instant simulated time meets the wall clock.
  const catchUpEnd = pace?.catchUp && Number.isFinite(pace.speed) ? caughtUpAt(pace) : undefined;
  logger.info(
    {
      topic: options.topic,
      from: new Date(options.from).toISOString(),
      to: Number.isFinite(options.to) ? new Date(options.to).toISOString() : null,
      speed: Number.isFinite(options.speed) ? options.speed : 'fast',
      catchUp: options.catchUp,
      ...(catchUpEnd !== undefined && Number.isFinite(catchUpEnd)
        ? { realTimeFrom: new Date(catchUpEnd).toISOString() }
        : {}),
    },
    'simulating',
  );
  try {
    return await publish(records, {
      producer,
      topic: options.topic,
      partitionOf,
      ...(log ? { log } : {}),
      ...(pace ? { pace } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onCaughtUp: () => logger.info('caught up with the wall clock: real time from now on'),
    });
  } finally {
    await producer.disconnect();
    await log?.close();
  }
}
