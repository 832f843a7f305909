// Sends records to Kafka in batches: as fast as possible (the next batch is generated while the
// previous one is in flight; one send at a time keeps per-key order), or paced so a record goes
// out when it is due (./pace.ts: simulated time from `from` at `speed`, capped at the wall clock
// in a catch-up run).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Message, Producer } from 'kafkajs';
import type { OutRecord } from '../faults/inject.js';
import type { ProducedRecord, SentLogWriter } from '../log/sent-log.js';
import { caughtUpAt, dueAt as paceDueAt, type Pace } from './pace.js';
import { Tally, type Summary } from './summary.js';

/** The wall clock: Date.now and a sleep that an abort ends early; tests pass their own. */
export interface WallClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

const realClock: WallClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};

export interface PublishSettings {
  readonly producer: Pick<Producer, 'send'>;
  readonly topic: string;
  /** The partition a key goes to (the producer's own partitioner), or null to let it choose. */
  readonly partitionOf: (key: string) => number | null;
  readonly log?: SentLogWriter;
  /** Records per send (default 2000). */
  readonly batchSize?: number;
  /** Absent: as fast as possible. */
  readonly pace?: Pace;
  /** Stops after the batch in flight when aborted (SIGTERM). */
  readonly signal?: AbortSignal;
  /** Catch-up runs: called once, when every record already due has been taken. */
  readonly onCaughtUp?: () => void;
  /** Default: the real wall clock. */
  readonly clock?: WallClock;
}

type Batch = ProducedRecord[];

export async function publish(
  records: Iterable<OutRecord>,
  settings: PublishSettings,
): Promise<Summary> {
  const { producer, topic, pace, signal } = settings;
  const clock = settings.clock ?? realClock;
  const batchSize = settings.batchSize ?? 2000;
  const tally = new Tally();
  const iterator = records[Symbol.iterator]();
  let pending: OutRecord | undefined;
  let done = false;
  const dueAt = (r: OutRecord) => (pace ? paceDueAt(pace, r.clock) : 0);
  const catchUpEnd = pace && caughtUpAt(pace);
  let caughtUp = catchUpEnd === undefined;

  /** Up to batchSize records due now; stops early before a record not yet due. */
  function take(): Batch {
    const batch: Batch = [];
    const now = clock.now();
    while (batch.length < batchSize) {
      const next = pending ?? nextRecord();
      pending = undefined;
      if (!next) break;
      if (pace && dueAt(next) > now) {
        pending = next;
        if (!caughtUp && now >= catchUpEnd!) {
          caughtUp = true;
          settings.onCaughtUp?.();
        }
        break;
      }
      batch.push({ record: next, partition: settings.partitionOf(next.key) });
    }
    return batch;
  }
  function nextRecord(): OutRecord | undefined {
    if (done) return undefined;
    const step = iterator.next();
    if (step.done) done = true;
    return step.done ? undefined : step.value;
  }
  async function send(batch: Batch): Promise<void> {
    // The Kafka timestamp (CreateTime) is the simulated time of sending, so a replayed past day
    // is judged for lateness as it would have been then; never later than the wall clock, which
    // a run sped past now would otherwise pass (Kafka 4 refuses timestamps over an hour ahead:
    // message.timestamp.after.max.ms). A topic with LogAppendTime (production) replaces it with
    // the broker's time of receipt.
    const sentAt = clock.now();
    const messages: Message[] = batch.map(({ record, partition }) => ({
      key: record.key,
      value: record.value,
      timestamp: String(Math.min(record.clock, sentAt)),
      ...(partition === null ? {} : { partition }),
    }));
    await producer.send({ topic, messages });
    await settings.log?.write(batch);
    for (const { record } of batch) tally.add(record);
  }

  let inflight: Promise<void> | undefined;
  try {
    while (!signal?.aborted) {
      const batch = take();
      if (inflight) await inflight;
      inflight = undefined;
      if (batch.length > 0) inflight = send(batch);
      else if (pending) {
        await clock.sleep(Math.max(0, dueAt(pending) - clock.now()), signal);
      } else if (done) break;
    }
  } finally {
    if (inflight) await inflight;
  }
  return tally.summary();
}
