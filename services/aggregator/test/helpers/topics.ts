// Reads a whole topic back (the DLQ, or the source to check DLQ positions), waiting by count.
import { setTimeout as sleep } from 'node:timers/promises';
import { testConsumer, uniqueGroupId } from '@pulse/testkit';
import type { IHeaders } from 'kafkajs';

export interface ReadRecord {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return out;
}

/** Every record of the topic from the beginning, once at least `count` have arrived. */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ReadRecord[]> {
  const consumer = await testConsumer({ groupId: uniqueGroupId('agg-read'), maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      records.push({
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: headerStrings(message.headers),
      });
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (records.length < count) {
    if (Date.now() > deadline)
      throw new Error(`${topic}: ${records.length} of ${count} records arrived`);
    await sleep(100);
  }
  await consumer.disconnect();
  return records;
}
