export { createKafka, parseBrokers, type KafkaSettings } from './client.js';
export { kafkajsLevel, pinoLogCreator } from './log-creator.js';
export { createProducer } from './producer.js';
export { ensureTopics, type EnsureTopicsResult, type TopicSpec } from './topics.js';
