export { releaseAfterTest, uniqueName } from './cleanup.js';
export { KAFKA_IMAGE, REDIS_IMAGE } from './images.js';
export {
  testConsumer,
  testKafka,
  testProducer,
  REPLAY_TOPIC_CONFIG,
  uniqueGroupId,
  uniqueTopic,
  type UniqueTopicOptions,
} from './kafka-helpers.js';
export { deleteKeysWithPrefix, redisPrefix, testRedis } from './redis-helpers.js';
// Everything that runs without vitest (provisionInfra, the stored-offsets wait, ...).
export * from './infra-entry.js';
export { testInfra, testLogger } from './test-infra.js';
export { freePort } from './ports.js';
export { isRunning, runFromSource, waitFor, waitForOk, type Child } from './processes.js';
