export {
  OUTAGE_TOLERANCE_MS,
  createKafka,
  parseBrokers,
  retryCovering,
  type KafkaSettings,
} from './client.js';
export { EXTRA_CODECS, registerCodecs } from './codecs.js';
export { kafkajsLevel, pinoLogCreator } from './log-creator.js';
export { keyPartitioner } from './partitioner.js';
export { createProducer } from './producer.js';
export { ensureTopics, type EnsureTopicsResult, type TopicSpec } from './topics.js';
