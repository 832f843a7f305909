import { DEFAULT_KEY_PREFIX, KEY_PREFIX_RULE } from '@pulse/topology';
import { z } from 'zod';

// Building blocks shared by every service's schema. Defaults run on one machine with no
// configuration: a broker on 127.0.0.1:9092 and Redis on 127.0.0.1:6379.

const hostPort = /^[^\s:,]+:\d{1,5}$/;

/** KAFKA_BROKERS: comma-separated host:port list. */
export const kafkaBrokers = z
  .string()
  .default('127.0.0.1:9092')
  .transform((raw) =>
    raw
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0),
  )
  .pipe(
    z
      .array(z.string().regex(hostPort, 'each broker must be host:port'))
      .min(1, 'at least one broker is required'),
  );

/** REDIS_URL: redis:// or rediss:// URL (credentials allowed; never logged). */
export const redisUrl = z
  .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
  .default('redis://127.0.0.1:6379');

/** A TCP port; 0 asks the OS for a free one. */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * HOST: the interface a server binds. Loopback by default, so a laptop does not expose it;
 * containers set 0.0.0.0 so other containers and the orchestrator's probes reach it.
 */
export const host = (fallback = '127.0.0.1') => z.string().min(1).default(fallback);

/** LOG_LEVEL: pino level names. */
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** A whole number within bounds, read from a string. */
export const integer = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** A Kafka topic name as Kafka allows it. */
export const topic = (fallback: string) =>
  z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be 1-249 of a-z A-Z 0-9 . _ -')
    .default(fallback);

/**
 * KEY_PREFIX: the prefix of every Redis key, so tenants and tests can share a server. The writer
 * (aggregator) and the readers (feeds-api) must use the same one. No spaces (keys are logged and
 * typed) and no braces (the store puts the `{<topic>:<partition>}` hash tag after it).
 */
export const keyPrefix = (fallback = DEFAULT_KEY_PREFIX) =>
  z
    .string()
    .regex(KEY_PREFIX_RULE, 'must be 1-100 characters without spaces or braces')
    .default(fallback);

/** "true"/"false"/"1"/"0"/"yes"/"no" as a boolean. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** The variables every service reads. */
export const commonEnv = {
  KAFKA_BROKERS: kafkaBrokers,
  REDIS_URL: redisUrl,
  LOG_LEVEL: logLevel,
};
