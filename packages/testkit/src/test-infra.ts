import { createLogger, type Logger } from '@pulse/logging';
import { inject } from 'vitest';
import type { Infra } from './infra.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by @pulse/testkit/global-setup. */
    pulseInfra: Infra;
  }
}

/**
 * The Kafka and Redis of this test run, as set up by @pulse/testkit/global-setup; falls back to
 * KAFKA_BROKERS and REDIS_URL when both are set.
 */
export function testInfra(): Infra {
  const provided = inject('pulseInfra');
  if (provided) return provided;
  const { KAFKA_BROKERS: kafkaBrokers, REDIS_URL: redisUrl } = process.env;
  if (kafkaBrokers && redisUrl) return { kafkaBrokers, redisUrl };
  throw new Error(
    "no Kafka and Redis for this test: add globalSetup: ['@pulse/testkit/global-setup'] to vitest.config.ts",
  );
}

/** A logger for clients made in tests: silent unless PULSE_TEST_LOG_LEVEL says otherwise. */
export function testLogger(): Logger {
  return createLogger({ service: 'test', level: process.env.PULSE_TEST_LOG_LEVEL ?? 'silent' });
}
