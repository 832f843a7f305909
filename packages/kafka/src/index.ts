export { createKafka, parseBrokers, type KafkaSettings } from './client.js';
export { kafkajsLevel, pinoLogCreator } from './log-creator.js';
export { createProducer } from './producer.js';
export {
  ACTIVITY_TOPIC,
  DLQ_TOPIC,
  PULSE_TOPICS,
  ensureTopics,
  type EnsureTopicsResult,
  type TopicSpec,
} from './topics.js';
