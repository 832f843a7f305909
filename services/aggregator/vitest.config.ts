import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({
  test: {
    // One Kafka and one Redis per run (or KAFKA_BROKERS / REDIS_URL when set).
    globalSetup: ['@pulse/testkit/global-setup'],
    // The crash and rebalance runs wait for a group to catch up on a 2-core machine.
    testTimeout: 300_000,
  },
});
