// The aggregator's environment, one schema. Read by main.ts only (never at import time); every
// default runs on one machine with no configuration.
import {
  commonEnv,
  ConfigError,
  flag,
  host,
  integer,
  keyPrefix,
  loadConfig,
  port,
  topic,
  z,
} from '@pulse/config';
import { DAY_MS } from '@pulse/kpi';
import { ACTIVITY_TOPIC, DLQ_TOPIC } from '@pulse/topology';

export const aggregatorEnv = {
  // KAFKA_BROKERS (comma list, default 127.0.0.1:9092), REDIS_URL, LOG_LEVEL.
  ...commonEnv,
  /** Port of the operations server (/healthz, /readyz, /metrics); Prometheus' own convention. */
  PORT: port(9464),
  /** Interface the operations server binds: loopback by default; containers set 0.0.0.0. */
  HOST: host(),
  /** Kafka consumer group; every replica of one deployment shares it. */
  GROUP_ID: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be 1-249 of a-z A-Z 0-9 . _ -')
    .default('pulse-aggregator'),
  /** Topic of activity events (key = provider ODS code). */
  ACTIVITY_TOPIC: topic(ACTIVITY_TOPIC),
  /** Topic rejected records go to, with the reason in headers. */
  DLQ_TOPIC: topic(DLQ_TOPIC),
  /** Prefix of every Redis key, so tenants and tests can share a server (default pulse). */
  KEY_PREFIX: keyPrefix(),
  /** Events up to this many days late still count (the sitrep amendment window). */
  GRACE_DAYS: integer(14, 0, 3650),
  /** Events dated more than this many minutes after their record's Kafka timestamp are rejected. */
  MAX_FUTURE_MINUTES: integer(5, 0, 24 * 60),
  /**
   * Added to wall-clock time for key lifetimes (expiries); replays a past period (negative).
   * Lateness is judged by each record's Kafka timestamp and does not use it.
   */
  CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  /** How long 15-minute counter keys outlive their bucket, in days (must exceed the grace). */
  RETENTION_15M_DAYS: integer(35, 1),
  /** How long hourly counter keys outlive their bucket, in days. */
  RETENTION_1H_DAYS: integer(400, 1),
  /** How long daily counter keys outlive their bucket, in days. */
  RETENTION_1D_DAYS: integer(5 * 365 + 1, 1),
  /**
   * Change log retention per partition: about this many entries (one per apply), and none older
   * than CHANGES_MAX_AGE_MINUTES; a reader's cursor older than that is told it expired.
   */
  CHANGES_MAX_LENGTH: integer(10_000, 100, 10_000_000),
  CHANGES_MAX_AGE_MINUTES: integer(60, 1, 7 * 24 * 60),
  /** At most this many records per atomic Redis apply; larger batches are applied in chunks. */
  MAX_APPLY_RECORDS: integer(5_000, 1, 100_000),
  /** Partitions processed at once by one instance (kafkajs partitionsConsumedConcurrently). */
  PARTITIONS_CONCURRENTLY: integer(2, 1, 1_000),
  /**
   * A replica silent this long (ms) leaves the group and its partitions move: after a crash the
   * whole group waits this long (the broker's group.min.session.timeout.ms, 6 s by default, is the
   * floor). 10 s, not kafkajs's 30 s; kafkajs has no static membership (group.instance.id) to
   * keep a restarted replica's partitions without a rebalance.
   */
  SESSION_TIMEOUT_MS: integer(10_000, 1_000, 3_600_000),
  /** How often (ms) a replica tells the group it is alive; well under SESSION_TIMEOUT_MS. */
  HEARTBEAT_INTERVAL_MS: integer(1_000, 100, 3_600_000),
  /** With no offset stored in Redis yet: start at the earliest record (true) or the latest. */
  FROM_BEGINNING: flag(true),
};

export type AggregatorEnv = z.infer<z.ZodObject<typeof aggregatorEnv>>;

/** Settings in the units the code uses. */
export interface AggregatorConfig {
  brokers: string[];
  redisUrl: string;
  logLevel: string;
  port: number;
  host: string;
  groupId: string;
  activityTopic: string;
  dlqTopic: string;
  keyPrefix: string;
  graceMs: number;
  maxFutureMs: number;
  clockOffsetMs: number;
  retentionMs: { '15m': number; '1h': number; '1d': number };
  changeLog: { maxLength: number; maxAgeMs: number };
  maxApplyRecords: number;
  partitionsConcurrently: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  fromBeginning: boolean;
}

/** Validates the environment (one message per bad variable) and converts it to AggregatorConfig. */
export function loadAggregatorConfig(env: NodeJS.ProcessEnv = process.env): AggregatorConfig {
  const e = loadConfig(aggregatorEnv, env);
  const problems: string[] = [];
  if (e.RETENTION_15M_DAYS <= e.GRACE_DAYS) {
    problems.push('RETENTION_15M_DAYS: must exceed GRACE_DAYS (late events need their buckets)');
  }
  if (e.HEARTBEAT_INTERVAL_MS >= e.SESSION_TIMEOUT_MS) {
    problems.push('HEARTBEAT_INTERVAL_MS: must be less than SESSION_TIMEOUT_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    brokers: e.KAFKA_BROKERS,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    groupId: e.GROUP_ID,
    activityTopic: e.ACTIVITY_TOPIC,
    dlqTopic: e.DLQ_TOPIC,
    keyPrefix: e.KEY_PREFIX,
    graceMs: e.GRACE_DAYS * DAY_MS,
    maxFutureMs: e.MAX_FUTURE_MINUTES * 60_000,
    clockOffsetMs: e.CLOCK_OFFSET_MS,
    retentionMs: {
      '15m': e.RETENTION_15M_DAYS * DAY_MS,
      '1h': e.RETENTION_1H_DAYS * DAY_MS,
      '1d': e.RETENTION_1D_DAYS * DAY_MS,
    },
    changeLog: { maxLength: e.CHANGES_MAX_LENGTH, maxAgeMs: e.CHANGES_MAX_AGE_MINUTES * 60_000 },
    maxApplyRecords: e.MAX_APPLY_RECORDS,
    partitionsConcurrently: e.PARTITIONS_CONCURRENTLY,
    sessionTimeoutMs: e.SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    fromBeginning: e.FROM_BEGINNING,
  };
}
