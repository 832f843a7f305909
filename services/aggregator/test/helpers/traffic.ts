// Simulated trust traffic for the pipeline tests: the simulator's seeded generator, published to
// a test topic (with resent duplicates when asked), and the sent log the oracle reads.
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import type { SentRecord } from '@pulse/verify';
import { londonDayBounds } from '@pulse/kpi';
import type { Trust } from '@pulse/refdata';
import { testProducer } from '@pulse/testkit';
import type { Producer } from 'kafkajs';
import { generateActivity } from 'simulator';
import { refdata } from './harness.js';
import { prng } from '@pulse/verify';

export interface DayTraffic {
  /** London date simulated, 'YYYY-MM-DD'. */
  date: string;
  /** Only these trusts (ODS codes); default every trust open that day. */
  trusts?: readonly string[];
  /** Share of England's RTT waiting list (the initial list is one event per pathway). */
  rttScale?: number;
  seed?: string;
}

/** The events of one London day, in occurredAt order. */
export function* dayEvents(options: DayTraffic): Generator<ActivityEvent> {
  const day = londonDayBounds(options.date);
  const open = refdata().trusts(options.date);
  const only = options.trusts && new Set(options.trusts);
  const trusts: Trust[] = open.filter((t) => !only || only.has(t.odsCode));
  yield* generateActivity({
    seed: options.seed ?? `aggregator-${options.date}`,
    from: day.start,
    to: day.end,
    trusts,
    openTrusts: open,
    rttScale: options.rttScale ?? 0.002,
  });
}

export interface PublishOptions {
  /** Share of events sent a second time a little later (a trust resending). */
  duplicateRate?: number;
  /** Records per send call. */
  chunk?: number;
  /** Deterministic choice of resends. */
  seed?: number;
  /** Called after each send with the records sent so far. */
  onProgress?: (sent: number) => void | Promise<void>;
  /**
   * Each record's Kafka timestamp (CreateTime), the time the broker is taken to have received
   * it; also the sent log's per-record `clock` the oracle judges lateness by. Default: the
   * event's emittedAt (a trust's record arriving as it is sent).
   */
  receivedAt?: (event: ActivityEvent) => number;
}

/** Publishes events keyed by provider; returns the sent log in send order. */
export async function publish(
  topic: string,
  events: Iterable<ActivityEvent>,
  options: PublishOptions = {},
  producer?: Producer,
): Promise<SentRecord[]> {
  const codec = createCodec();
  const out = producer ?? (await testProducer());
  const chunk = options.chunk ?? 2_000;
  const random = prng(options.seed ?? 1);
  const rate = options.duplicateRate ?? 0;
  const receivedAt = options.receivedAt ?? ((event: ActivityEvent) => event.emittedAt);
  const log: SentRecord[] = [];
  // Resends go out a few hundred records after the original, as a retrying EPR would.
  const resends: { due: number; event: ActivityEvent }[] = [];
  let pending: ActivityEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const messages = pending.map((event) => ({
      key: event.providerOds,
      value: codec.encode(event),
      timestamp: String(receivedAt(event)),
    }));
    await out.send({ topic, messages });
    for (const event of pending) log.push({ event, clock: receivedAt(event) });
    pending = [];
    await options.onProgress?.(log.length);
  };
  let n = 0;
  for (const event of events) {
    pending.push(event);
    n++;
    if (rate > 0 && random() < rate)
      resends.push({ due: n + 1 + Math.floor(random() * 500), event });
    for (let i = resends.length - 1; i >= 0; i--) {
      if (resends[i]!.due <= n) pending.push(resends.splice(i, 1)[0]!.event);
    }
    if (pending.length >= chunk) await flush();
  }
  for (const { event } of resends) pending.push(event);
  await flush();
  return log;
}
