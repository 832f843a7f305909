import { Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';

/**
 * An idempotent producer: the broker drops the duplicates a retry would otherwise write, so a
 * message sent once lands once and in order per partition. `overrides` may change the rest.
 */
export function createProducer(kafka: Kafka, overrides: ProducerConfig = {}): Producer {
  const { retry, ...rest } = overrides;
  const idempotent = rest.idempotent ?? true;
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
    ...rest,
    // Unlimited retries for an idempotent producer, as kafkajs itself defaults them
    // (Number.MAX_SAFE_INTEGER; tulios/kafkajs#203, after KIP-98, where Java sets
    // Integer.MAX_VALUE): a retried batch keeps its sequence numbers, so retrying is always safe,
    // while giving up mid-sequence can break the ordering and de-duplication idempotence promises.
    // kafkajs merges the client's retry settings (createKafka: 8 retries) into every producer and
    // warns "Limiting retries for the idempotent producer may invalidate EoS guarantees" below
    // that, so the count is set here; the client's back-off still applies. A send to an
    // unreachable cluster therefore waits for it rather than failing after ~8 attempts.
    retry: idempotent ? { retries: Number.MAX_SAFE_INTEGER, ...retry } : retry,
  });
}
