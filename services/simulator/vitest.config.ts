import { pulseVitestConfig } from '@pulse/vitest-config';

export default pulseVitestConfig({
  test: {
    // One Kafka (and Redis) per run, or KAFKA_BROKERS / REDIS_URL when set.
    globalSetup: ['@pulse/testkit/global-setup'],
  },
});
