// Container images for the testcontainers path. docker-compose.yml pins the same tags and the
// Kafka tag equals the release infra/kafka runs from jars; test/compose.test.ts checks both.

/** The official Apache Kafka image (KRaft). */
export const KAFKA_IMAGE = 'apache/kafka:4.4.0';

/** The official Redis image. */
export const REDIS_IMAGE = 'redis:8.10.2';
