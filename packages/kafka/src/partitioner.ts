// Which partition a key belongs on: the contract's partitioner. Exactly-once de-duplication is per
// partition (docs/aggregation.md), so every producer must put a key where this says: Java's
// default partitioner (murmur2 of the key bytes, positive, mod the partition count), which
// kafkajs's DefaultPartitioner reproduces. librdkafka's default (consistent_random, CRC32) puts
// keys elsewhere; librdkafka producers set partitioner=murmur2_random.
import { Partitioners, type PartitionMetadata } from 'kafkajs';

/** The partition of each key on a topic of `partitions` partitions, as Kafka's Java client puts it. */
export function keyPartitioner(partitions: number): (key: Buffer | string) => number {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new Error(`a topic has at least one partition, not ${partitions}`);
  }
  const partitioner = Partitioners.DefaultPartitioner();
  // Keyed records depend only on the partition count, never on leaders.
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, id) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader: 0,
    replicas: [0],
    isr: [0],
    offlineReplicas: [],
  }));
  // kafkajs's murmur2 works through 64-bit Long objects (about 1 µs a key); a trust's key recurs
  // on every record, so answers are kept, at most CACHE_KEYS of them (junk keys cannot grow it).
  const cache = new Map<string, number>();
  return (key) => {
    // One byte per character for a Buffer; a string is hashed as its UTF-8, so it is told apart.
    const id = typeof key === 'string' ? `s${key}` : `b${key.toString('latin1')}`;
    let partition = cache.get(id);
    if (partition === undefined) {
      partition = partitioner({ topic: '', partitionMetadata, message: { key, value: null } });
      if (cache.size >= CACHE_KEYS) cache.clear();
      cache.set(id, partition);
    }
    return partition;
  };
}

/** Keys whose partition is remembered: every trust's, with room for a few thousand more. */
const CACHE_KEYS = 4_096;
