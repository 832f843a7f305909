import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({
  test: {
    // One Kafka and one Redis per run (or KAFKA_BROKERS / REDIS_URL when set).
    globalSetup: ['@pulse/testkit/global-setup'],
    // The crash and rebalance runs wait for a group to catch up on a 2-core machine.
    // The all-trust exactness runs (800k records and 10.9M values compared) take ~4 min alone and
    // longer on a busy 2-core machine; a timeout is a hang guard, not a speed check.
    testTimeout: 900_000,
  },
});
