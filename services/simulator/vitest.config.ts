import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({
  test: {
    // One Kafka (and Redis) per run, or KAFKA_BROKERS / REDIS_URL when set.
    globalSetup: ['@pulse/testkit/global-setup'],
    // The full-day run publishes ~450k records on a shared 2-core machine.
    testTimeout: 900_000,
  },
});
