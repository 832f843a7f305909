export { releaseAfterTest, uniqueName } from './cleanup.js';
export { KAFKA_IMAGE, REDIS_IMAGE } from './images.js';
export type { Infra, InfraSource, ProvisionedInfra } from './infra.js';
export {
  testConsumer,
  testKafka,
  testProducer,
  uniqueGroupId,
  uniqueTopic,
  type UniqueTopicOptions,
} from './kafka-helpers.js';
export { provisionInfra } from './provision.js';
export { deleteKeysWithPrefix, redisPrefix, testRedis } from './redis-helpers.js';
export { repoRoot } from './repo.js';
export { testInfra, testLogger } from './test-infra.js';
