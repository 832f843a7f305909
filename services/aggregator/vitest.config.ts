import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({
  test: {
    // One Kafka and one Redis per run (or KAFKA_BROKERS / REDIS_URL when set).
    globalSetup: ['@pulse/testkit/global-setup'],
    // An all-trust exactness day (~240k records, 2.7M values compared) takes ~35 s alone but
    // went past 300 s at a load of ~22 while every other workspace's tests ran beside it; a
    // timeout is a hang guard, not a speed check.
    testTimeout: 1_800_000,
  },
});
