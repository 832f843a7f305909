// The partition each key goes to, computed with the producer's own (Java-compatible murmur2)
// partitioner, so the sent log can say where every record landed.
import { Partitioners, type Admin } from 'kafkajs';

export async function keyPartitioner(
  admin: Admin,
  topic: string,
): Promise<(key: string) => number> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitionMetadata = metadata.topics[0]?.partitions ?? [];
  if (partitionMetadata.length === 0) throw new Error(`topic ${topic} has no partitions`);
  const partitioner = Partitioners.DefaultPartitioner();
  const cache = new Map<string, number>();
  return (key) => {
    let partition = cache.get(key);
    if (partition === undefined) {
      partition = partitioner({ topic, partitionMetadata, message: { key, value: null } });
      cache.set(key, partition);
    }
    return partition;
  };
}
