import type { Logger } from '@pulse/logging';
import { Kafka, type RetryOptions } from 'kafkajs';
import { registerCodecs } from './codecs.js';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';

export interface KafkaSettings {
  /** Bootstrap brokers: an array or the KAFKA_BROKERS comma list ("host:port,host:port"). */
  brokers: string | readonly string[];
  /** Names this process in broker logs and quotas, e.g. the service name. */
  clientId: string;
  /** kafkajs's own log lines go here (component "kafkajs"). */
  logger: Logger;
  /**
   * How long (ms) a call keeps retrying an unreachable cluster before it fails; default
   * OUTAGE_TOLERANCE_MS.
   */
  outageToleranceMs?: number;
}

/**
 * A broker restart, a rolling upgrade or a network cut of up to 15 minutes is ridden out: a send,
 * a fetch or a group join waits for the cluster to come back instead of failing. Past it the call
 * fails and the process decides (the aggregator's consumer restarts itself; the simulator exits).
 */
export const OUTAGE_TOLERANCE_MS = 15 * 60_000;

/** First retry after 100 ms (not kafkajs's 300 ms): start-up races resolve well under a second. */
const INITIAL_RETRY_MS = 100;
/** At most 5 s between attempts (not 30 s), so a client reconnects within seconds of a broker's return. */
const MAX_RETRY_MS = 5_000;
/** kafkajs's own: each wait is the previous one × 2, randomised by ± 20 %. */
const MULTIPLIER = 2;
const FACTOR = 0.2;

/**
 * kafkajs counts retries, not time: the retry settings whose waits add up to at least `ms` however
 * the randomisation falls. Each wait is at least (1 − factor) × multiplier = 1.6 times the last
 * until it reaches the cap, and then the cap itself (kafkajs: min(random × multiplier, cap)).
 */
export function retryCovering(ms: number): RetryOptions {
  let retries = 0;
  let total = 0;
  let wait = INITIAL_RETRY_MS * (1 - FACTOR);
  while (total < ms) {
    total += Math.min(wait, MAX_RETRY_MS);
    wait = Math.min(wait * (1 - FACTOR) * MULTIPLIER, MAX_RETRY_MS);
    retries += 1;
  }
  return {
    initialRetryTime: INITIAL_RETRY_MS,
    maxRetryTime: MAX_RETRY_MS,
    multiplier: MULTIPLIER,
    factor: FACTOR,
    retries,
  };
}

/** Splits the KAFKA_BROKERS comma list; blanks are dropped. */
export function parseBrokers(brokers: string | readonly string[]): string[] {
  const list = typeof brokers === 'string' ? brokers.split(',') : [...brokers];
  return list.map((broker) => broker.trim()).filter((broker) => broker.length > 0);
}

/**
 * The one kafkajs client of a process. Connects nothing until a producer, consumer or admin does.
 * Reads every compression codec Kafka defines (see codecs.ts).
 */
export function createKafka({
  brokers,
  clientId,
  logger,
  outageToleranceMs = OUTAGE_TOLERANCE_MS,
}: KafkaSettings): Kafka {
  registerCodecs();
  return new Kafka({
    brokers: parseBrokers(brokers),
    clientId,
    // 3 s rather than 1 s to open a connection: a broker on a loaded 2-core machine or CI is slow to accept.
    connectionTimeout: 3_000,
    // Every retrier of the client (connecting, metadata, group membership) inherits this. The
    // idempotent producer retries without limit on top, but a cluster-level give-up is not
    // retriable, so this is what bounds how long a send survives an outage.
    retry: retryCovering(outageToleranceMs),
    logLevel: kafkajsLevel(logger),
    logCreator: pinoLogCreator(logger),
  });
}
