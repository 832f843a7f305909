import { Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';

/**
 * An idempotent producer: the broker drops the duplicates a retry would otherwise write, so a
 * message sent once lands once and in order per partition. `overrides` may change the rest.
 */
export function createProducer(kafka: Kafka, overrides: ProducerConfig = {}): Producer {
  return kafka.producer({
    // Broker-side de-duplication by producer id and sequence number; kafkajs then sends acks=-1.
    idempotent: true,
    // kafkajs keeps order and idempotence only with one request in flight per broker.
    maxInFlightRequests: 1,
    // Java-compatible murmur2 partitioning: a trust's key lands on the same partition whichever
    // client (Java, Python, kafkajs) publishes it.
    createPartitioner: Partitioners.DefaultPartitioner,
    // Topics are created on purpose (ensureTopics), never by a mistyped name.
    allowAutoTopicCreation: false,
    ...overrides,
  });
}
